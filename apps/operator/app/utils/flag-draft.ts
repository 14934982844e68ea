// A flag being edited: the form (every editable field), and the draft, what Save sends as the
// PATCH body: only what differs from the flag as it was opened.
import { FLAG_SCOPE_AXES, type Flag, type FlagDraft, type FlagScope, type FlagState } from '@dezky/contracts';
import { AXIS_LABELS } from './flag-display';

/** The editable part of a flag, every field present. */
export interface FlagForm {
  description: string;
  state: FlagState;
  pct: number;
  scope: FlagScope;
}

function copyScope(scope: FlagScope): FlagScope {
  return {
    plans: [...scope.plans],
    tenantSlugs: [...scope.tenantSlugs],
    partnerSlugs: [...scope.partnerSlugs],
    environments: [...scope.environments],
  };
}

export function formOf(flag: Flag): FlagForm {
  return { description: flag.description, state: flag.state, pct: flag.pct, scope: copyScope(flag.scope) };
}

/** The form of `flag` with `draft` applied: what the panel shows for a draft made earlier. */
export function formWithDraft(flag: Flag, draft: FlagDraft): FlagForm {
  const form = formOf(flag);
  return {
    description: draft.description ?? form.description,
    state: draft.state ?? form.state,
    pct: draft.pct ?? form.pct,
    scope: copyScope({ ...form.scope, ...draft.scope }),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((v) => set.has(v));
}

/**
 * What a form changes on a flag, as the PATCH body: only the fields that differ; scope axes are
 * compared as sets (reordering chips is no change) and only changed axes are sent.
 */
export function draftOf(flag: Flag, form: FlagForm): FlagDraft {
  const draft: FlagDraft = {};
  if (form.description.trim() !== flag.description) draft.description = form.description.trim();
  if (form.state !== flag.state) draft.state = form.state;
  if (form.pct !== flag.pct) draft.pct = form.pct;
  const scope: Partial<FlagScope> = {};
  for (const axis of FLAG_SCOPE_AXES) {
    if (!sameSet(form.scope[axis], flag.scope[axis])) (scope as Record<string, string[]>)[axis] = [...form.scope[axis]];
  }
  if (Object.keys(scope).length) draft.scope = scope;
  return draft;
}

export function isEmptyDraft(draft: FlagDraft): boolean {
  return Object.keys(draft).length === 0;
}

/** What a draft changes, in a few words: "state rollout, 25%, plans, description". */
export function changedSummary(draft: FlagDraft): string {
  const parts: string[] = [];
  if (draft.state) parts.push(`state ${draft.state}`);
  if (draft.pct !== undefined) parts.push(`${draft.pct}%`);
  if (draft.scope) parts.push(...FLAG_SCOPE_AXES.filter((axis) => axis in draft.scope!).map((axis) => AXIS_LABELS[axis].toLowerCase()));
  if (draft.description !== undefined) parts.push('description');
  return parts.join(', ');
}

/** A rollout percentage as typed: a whole number from 0 to 100, or undefined for anything else. */
export function parsePct(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= 100 ? value : undefined;
}
