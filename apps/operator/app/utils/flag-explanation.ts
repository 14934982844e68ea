// Why a flag is on or off for a tenant, in words: the tenant's flags, the flags a change of its
// plan or partner would flip, and "Check a tenant" in the flag panel all say it this way.
import type { FlagExplanation, FlagScopeAxis } from '@dezky/contracts';

/** What the tenant brought to the evaluation, where the screen knows it. */
export interface ExplanationContext {
  plan?: string;
  /** The tenant's partner; null when it has none, absent when unknown. */
  partnerSlug?: string | null;
  environment?: string;
}

export interface ExplanationText {
  /** A phrase: "in the targeted scope", "bucket 12 outside the 30% rollout". */
  summary: string;
  /** A sentence with the tenant's own values, where there is more to say than the phrase. */
  detail?: string;
}

/** Each axis as the phrase "outside the targeted …" names it. */
const AXIS_NOUNS: Record<FlagScopeAxis, string> = { plans: 'plan', tenantSlugs: 'tenant list', partnerSlugs: 'partner', environments: 'environment' };

function mismatch(axis: FlagScopeAxis, context: ExplanationContext): string {
  switch (axis) {
    case 'plans':
      return context.plan ? `Its plan (${context.plan}) is not among the flag's plans.` : "Its plan is not among the flag's plans.";
    case 'partnerSlugs':
      if (context.partnerSlug === null) return "It has no partner, and the flag targets partners' tenants.";
      return context.partnerSlug ? `Its partner (${context.partnerSlug}) is not among the flag's partners.` : "Its partner is not among the flag's partners.";
    case 'tenantSlugs':
      return "It is not among the flag's tenants.";
    case 'environments':
      return context.environment
        ? `This environment (${context.environment}) is not among the flag's environments.`
        : "This environment is not among the flag's environments.";
  }
}

export function explanationText(explanation: FlagExplanation, context: ExplanationContext = {}): ExplanationText {
  const e = explanation;
  switch (e.reason) {
    case 'off':
      return { summary: 'off for everyone' };
    case 'on':
      return { summary: 'on for everyone' };
    case 'no-scope':
      return { summary: 'targets nobody', detail: 'Targeted, but no plan, tenant, partner or environment is selected.' };
    case 'scope-match':
      return { summary: 'in the targeted scope', detail: 'The tenant matches every scope the flag sets.' };
    case 'scope-mismatch':
      return { summary: `outside the targeted ${AXIS_NOUNS[e.axis] ?? e.axis}`, detail: mismatch(e.axis, context) };
    case 'inside-rollout':
      return { summary: `bucket ${e.bucket} inside the ${e.pct}% rollout`, detail: `Bucket ${e.bucket} is below ${e.pct}%.` };
    case 'outside-rollout':
      return { summary: `bucket ${e.bucket} outside the ${e.pct}% rollout`, detail: `Bucket ${e.bucket} is not below ${e.pct}%.` };
  }
  return { summary: 'unknown reason' };
}

/** The phrase as a title: "In the targeted scope". */
export function explanationTitle(text: ExplanationText): string {
  return text.summary.charAt(0).toUpperCase() + text.summary.slice(1);
}
