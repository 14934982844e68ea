// GET /api/audit → platform API GET /audit (operators only), newest first, each entry's actor
// with their display name (GET /users/:id).
// Query: resourceType, resourceId, actorEmail, action, limit (1-100), offset; or partner (a slug):
// every event about that partner, its own (partner.*) and its tenants' attach and detach
// (tenant.update entries whose partnerId changes to or from it).
import {
  AUDIT_ACTION_MESSAGE,
  AUDIT_ACTION_PATTERN,
  AUDIT_RESOURCE_ID_MAX,
  AUDIT_RESOURCE_TYPES,
  EMAIL_MAX,
  EMAIL_MESSAGE,
  PAGE_LIMIT_MAX,
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
type AuditQuery = z.output<typeof query>;
type RawLog = Page<AuditEntry> & { partner: PartnerRef | null };

/**
 * How many of the newest tenant.update entries a partner's log looks through for attachments:
 * the API filters by resource, not by the partner a tenant's change names.
 */
const TENANT_UPDATES_SCANNED = 5000;

/** Every entry the API answers to `filter`, newest first, up to `max`. */
async function allEntries(event: H3Event, filter: Record<string, string>, max: number): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (let offset = 0; offset < max; offset += PAGE_LIMIT_MAX) {
    const page = await platformApi<Page<AuditEntry>>(event, '/audit', { query: { ...filter, limit: PAGE_LIMIT_MAX, offset } });
    entries.push(...page.items);
    if (entries.length >= page.total || page.items.length === 0) break;
  }
  return entries;
}

const partnerIdOf = (record: unknown) => ((record ?? {}) as { partnerId?: unknown }).partnerId ?? null;

/** A tenant's change that attached it to the partner or detached it from it. */
function attachesOrDetaches(entry: AuditEntry, partnerId: string): boolean {
  const before = partnerIdOf(entry.before);
  const after = partnerIdOf(entry.after);
  return before !== after && (before === partnerId || after === partnerId);
}

/** The partner's own entries and its tenants' attach and detach, newest first, filtered as asked. */
async function partnerLog(event: H3Event, slug: string, q: AuditQuery): Promise<RawLog> {
  const partner = await platformApi<PartnerWithStats>(event, `/partners/${encodeURIComponent(slug)}`);
  const [own, tenantUpdates] = await Promise.all([
    allEntries(event, { resourceType: 'partner', resourceId: partner.id }, Number.POSITIVE_INFINITY),
    allEntries(event, { resourceType: 'tenant', action: 'tenant.update' }, TENANT_UPDATES_SCANNED),
  ]);
  const matching = [...own, ...tenantUpdates.filter((entry) => attachesOrDetaches(entry, partner.id))]
    .filter((entry) => (!q.action || entry.action === q.action) && (!q.actorEmail || entry.actor.email === q.actorEmail.toLowerCase()))
    .filter((entry) => (!q.resourceType || entry.resource.type === q.resourceType) && (!q.resourceId || entry.resource.id === q.resourceId))
    .sort((a, b) => (a.at === b.at ? b.id.localeCompare(a.id) : b.at.localeCompare(a.at)));
  const limit = q.limit ?? PAGE_LIMIT_MAX;
  const offset = q.offset ?? 0;
  return {
    items: matching.slice(offset, offset + limit),
    total: matching.length,
    limit,
    offset,
    partner: { id: partner.id, slug: partner.slug, name: partner.name },
  };
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
