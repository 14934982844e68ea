// A draft kept while its session is gone: the flag as it was opened (its key, version and ETag
// are what the draft was made against) and the draft itself, as JSON in the tab's sessionStorage,
// so that signing in again brings it back and saves it under the same If-Match.
import { ENVIRONMENTS, FLAG_KEY_PATTERN, FLAG_STATES, PLANS, type Flag, type FlagDraft } from '@dezky/contracts';
import { z } from 'zod';

/** The sessionStorage entry: one draft per tab. */
export const DRAFT_STASH_KEY = 'dezky-operator.flag-draft';

/** A draft that signing in again brings back. */
export interface StashedDraft {
  /** The flag as the draft was made against it. */
  flag: Flag;
  draft: FlagDraft;
}

const pct = z.number().int().min(0).max(100);
const scope = z.object({
  plans: z.array(z.enum(PLANS)),
  tenantSlugs: z.array(z.string()),
  partnerSlugs: z.array(z.string()),
  environments: z.array(z.enum(ENVIRONMENTS)),
});
const flag = z.object({
  id: z.string(),
  key: z.string().regex(FLAG_KEY_PATTERN),
  description: z.string(),
  state: z.enum(FLAG_STATES),
  pct,
  scope,
  // Drafts kept before flags carried it read as unprotected (a save the API then refuses names the change-request route).
  protected: z.boolean().default(false),
  version: z.number().int().min(1),
  etag: z.string().min(1),
  history: z.array(z.object({ at: z.string(), actor: z.string(), changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })) })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const stash = z.object({
  format: z.literal(1),
  flag,
  draft: z.strictObject({
    description: z.string().optional(),
    state: z.enum(FLAG_STATES).optional(),
    pct: pct.optional(),
    scope: scope.partial().optional(),
  }),
});

export function serialiseDraft(stashed: StashedDraft): string {
  return JSON.stringify({ format: 1, flag: stashed.flag, draft: stashed.draft });
}

/**
 * The draft stored as `text`, if it is one for the flag `key` with something in it; undefined for
 * anything else (nothing stored, another flag's draft, an empty draft, text that is not a draft).
 */
export function restoreDraft(text: string | null | undefined, key: string): StashedDraft | undefined {
  if (!text) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = stash.safeParse(json);
  if (!parsed.success || parsed.data.flag.key !== key) return undefined;
  const { scope: axes, ...rest } = parsed.data.draft;
  const draft: FlagDraft = axes && Object.keys(axes).length ? { ...rest, scope: axes } : rest;
  return Object.keys(draft).length ? { flag: parsed.data.flag, draft } : undefined;
}
