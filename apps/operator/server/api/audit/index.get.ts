// GET /api/audit → platform API GET /audit (operators only), newest first, each entry's actor
// with their display name (GET /users/:id).
// Query: resourceType, resourceId, actorEmail, action, limit (1-100), offset, and partner (a slug):
// every event about that partner, its own (partner.*) and its tenants' attach and detach (the
// API's partnerId filter).
import {
  AUDIT_ACTION_MESSAGE,
  AUDIT_ACTION_PATTERN,
  AUDIT_RESOURCE_ID_MAX,
  AUDIT_RESOURCE_TYPES,
  EMAIL_MAX,
  EMAIL_MESSAGE,
  type AuditEntry,
  type AuditEntryView,
  type AuditLogPage,
  type Page,
  type PartnerRef,
  type PartnerWithStats,
} from '@dezky/contracts';
import type { H3Event } from 'h3';
import { z } from 'zod';

const query = z.object({
  resourceType: z.enum(AUDIT_RESOURCE_TYPES).optional(),
  resourceId: z.string().trim().min(1).max(AUDIT_RESOURCE_ID_MAX).optional(),
  partner: slugSchema.optional(),
  actorEmail: z.email(EMAIL_MESSAGE).max(EMAIL_MAX).optional(),
  action: z.string().regex(AUDIT_ACTION_PATTERN, AUDIT_ACTION_MESSAGE).optional(),
  ...pageQueryShape,
});
type RawLog = Page<AuditEntry> & { partner: PartnerRef | null };

/** The partner's log (GET /audit?partnerId=), with the partner named for the filter chip. */
async function partnerLog(event: H3Event, slug: string, filter: Omit<z.output<typeof query>, 'partner'>): Promise<RawLog> {
  const partner = await platformApi<PartnerWithStats>(event, `/partners/${encodeURIComponent(slug)}`);
  const page = await platformApi<Page<AuditEntry>>(event, '/audit', { query: { ...filter, partnerId: partner.id } });
  return { ...page, partner: { id: partner.id, slug: partner.slug, name: partner.name } };
}

/** The entries with their actors' display names, one lookup per person on the page. */
async function withActorNames(event: H3Event, entries: AuditEntry[]): Promise<AuditEntryView[]> {
  const ids = [...new Set(entries.map((entry) => entry.actor.userId))];
  const names = new Map(
    await Promise.all(
      ids.map(async (id) => [id, await platformApi<{ name: string }>(event, `/users/${encodeURIComponent(id)}`).then((user) => user.name || null, () => null)] as const),
    ),
  );
  return entries.map((entry) => ({ ...entry, actor: { ...entry.actor, name: names.get(entry.actor.userId) ?? null } }));
}

export default defineEventHandler(async (event): Promise<AuditLogPage> => {
  const { partner, ...filter } = validQuery(event, query);
  const page: RawLog = partner ? await partnerLog(event, partner, filter) : { ...(await platformApi<Page<AuditEntry>>(event, '/audit', { query: filter })), partner: null };
  return { ...page, items: await withActorNames(event, page.items) };
});
