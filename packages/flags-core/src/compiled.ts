import { rolloutBucket } from './bucket.js';
import { setResult } from './result.js';
import type { RolloutBuckets } from './store.js';
import { SCOPE_AXES } from './scope.js';
import type { EvaluationContext, Explanation, FlagDefinition, FlagScope } from './types.js';

// What a compiled flag has left to check for a context.
const ALWAYS_FALSE = 0; // off; targeted with an empty scope; rollout with pct <= 0; unknown state
const ALWAYS_TRUE = 1; // on; rollout with an empty scope and pct >= 100
const SCOPE_ONLY = 2; // targeted with a scope; rollout with a scope and pct >= 100
const SCOPE_AND_BUCKET = 3; // rollout with 0 < pct < 100
type Kind = typeof ALWAYS_FALSE | typeof ALWAYS_TRUE | typeof SCOPE_ONLY | typeof SCOPE_AND_BUCKET;

interface CompiledFlag {
  readonly key: string;
  /** The flag's state as given, for explanations (`kind` folds it away). */
  readonly state: string;
  /** Some axis of the scope is non-empty. */
  readonly scoped: boolean;
  /** `"key":` as it starts the flag's member in a JSON object. */
  readonly jsonKey: string;
  readonly kind: Kind;
  readonly pct: number;
  /** null = axis empty (ignored); otherwise the allowlist. */
  readonly plans: ReadonlySet<string> | null;
  readonly tenantSlugs: ReadonlySet<string> | null;
  readonly partnerSlugs: ReadonlySet<string> | null;
  readonly environments: ReadonlySet<string> | null;
}

declare const compiledBrand: unique symbol;

/**
 * A flag set precompiled by `compileFlags`: states folded to constants where possible and
 * one Set per non-empty scope axis. A snapshot: later changes to the input flags are not seen.
 */
export interface CompiledFlags {
  readonly [compiledBrand]: true;
  /** Number of flags compiled (duplicates included). */
  readonly size: number;
}

interface CompiledFlagsImpl {
  readonly size: number;
  readonly flags: readonly CompiledFlag[];
}

function axisSet(axis: readonly string[] | undefined | null): ReadonlySet<string> | null {
  return axis === undefined || axis === null || axis.length === 0 ? null : new Set(axis);
}

function compileFlag(flag: FlagDefinition): CompiledFlag {
  const scope: FlagScope = flag.scope ?? {};
  const plans = axisSet(scope.plans);
  const tenantSlugs = axisSet(scope.tenantSlugs);
  const partnerSlugs = axisSet(scope.partnerSlugs);
  const environments = axisSet(scope.environments);
  const scoped = plans !== null || tenantSlugs !== null || partnerSlugs !== null || environments !== null;
  const pct = flag.pct;
  let kind: Kind;
  switch (flag.state) {
    case 'on':
      kind = ALWAYS_TRUE;
      break;
    case 'targeted':
      kind = scoped ? SCOPE_ONLY : ALWAYS_FALSE;
      break;
    case 'rollout':
      if (!(pct > 0)) kind = ALWAYS_FALSE; // no bucket is < pct
      else if (pct >= 100) kind = scoped ? SCOPE_ONLY : ALWAYS_TRUE; // every bucket is < pct
      else kind = SCOPE_AND_BUCKET;
      break;
    default:
      kind = ALWAYS_FALSE;
  }
  return { key: flag.key, state: flag.state, scoped, jsonKey: `${JSON.stringify(flag.key)}:`, kind, pct, plans, tenantSlugs, partnerSlugs, environments };
}

/** Precompile a flag set for `evaluateAllCompiled`. */
export function compileFlags(flags: readonly FlagDefinition[]): CompiledFlags {
  const compiled: CompiledFlag[] = new Array<CompiledFlag>(flags.length);
  for (let i = 0; i < flags.length; i++) compiled[i] = compileFlag(flags[i]!);
  const impl: CompiledFlagsImpl = { size: compiled.length, flags: compiled };
  return impl as unknown as CompiledFlags;
}

function matchesCompiled(flag: CompiledFlag, ctx: EvaluationContext): boolean {
  if (flag.plans !== null && !flag.plans.has(ctx.plan)) return false;
  if (flag.tenantSlugs !== null && !flag.tenantSlugs.has(ctx.tenantSlug)) return false;
  if (flag.partnerSlugs !== null && (ctx.partnerSlug === null || !flag.partnerSlugs.has(ctx.partnerSlug))) return false;
  if (flag.environments !== null && !flag.environments.has(ctx.environment)) return false;
  return true;
}

/**
 * Same answers as `evaluateAll(flags, ctx, buckets)` for the flags `compiled` was made from.
 * With a store the tenant's slot is looked up once, and only if a bucket is needed.
 */
export function evaluateAllCompiled(compiled: CompiledFlags, ctx: EvaluationContext, buckets?: RolloutBuckets): Record<string, boolean> {
  const flags = (compiled as unknown as CompiledFlagsImpl).flags;
  const out: Record<string, boolean> = {};
  const slot: SlotRef = { slot: buckets === undefined ? -1 : -2 };
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    setResult(out, flag.key, compiledValue(flag, ctx, buckets, slot));
  }
  return out;
}

/**
 * `evaluateAllCompiled(compiled, ctx, buckets)` as a JSON object text (members in the set's
 * order; for a set without duplicate keys `JSON.parse` of it equals the record), built from the
 * keys' JSON compiled once: a server answering the result as JSON saves the intermediate object
 * and the serialiser's walk over it.
 */
export function evaluateAllCompiledJson(compiled: CompiledFlags, ctx: EvaluationContext, buckets?: RolloutBuckets): string {
  const flags = (compiled as unknown as CompiledFlagsImpl).flags;
  const slot: SlotRef = { slot: buckets === undefined ? -1 : -2 };
  let out = '{';
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (i > 0) out += ',';
    out += flag.jsonKey;
    out += compiledValue(flag, ctx, buckets, slot) ? 'true' : 'false';
  }
  return out + '}';
}

/** The tenant's slot in the store, looked up once per evaluation: -2 not yet, -1 compute directly. */
interface SlotRef {
  slot: number;
}

function compiledValue(flag: CompiledFlag, ctx: EvaluationContext, buckets: RolloutBuckets | undefined, ref: SlotRef): boolean {
  switch (flag.kind) {
    case ALWAYS_FALSE:
      return false;
    case ALWAYS_TRUE:
      return true;
    case SCOPE_ONLY:
      return matchesCompiled(flag, ctx);
    default: {
      if (!matchesCompiled(flag, ctx)) return false;
      if (ref.slot === -2) ref.slot = buckets!.slotOf(ctx.tenantId);
      // kind SCOPE_AND_BUCKET has 0 < pct < 100, so the bucket decides.
      return (ref.slot >= 0 ? buckets!.bucketAt(ref.slot, flag.key) : rolloutBucket(ctx.tenantId, flag.key)) < flag.pct;
    }
  }
}

/**
 * `evaluateFlag(flag, contexts[i], buckets)` for every context, as bytes (1 = on, 0 = off):
 * one flag over many tenants, as an impact preview needs. The flag is compiled once, no object
 * is made per context, and with a store the tenants' slots are found in one pass (`slotsOf`).
 */
export function evaluateFlagForEach(flag: FlagDefinition, contexts: readonly EvaluationContext[], buckets?: RolloutBuckets): Uint8Array {
  const compiled = compileFlag(flag);
  const n = contexts.length;
  const out = new Uint8Array(n);
  switch (compiled.kind) {
    case ALWAYS_FALSE:
      return out;
    case ALWAYS_TRUE:
      return out.fill(1);
    case SCOPE_ONLY:
      for (let i = 0; i < n; i++) if (matchesCompiled(compiled, contexts[i]!)) out[i] = 1;
      return out;
    default: {
      const { key, pct } = compiled;
      const slots = buckets?.slotsOf(contexts.map((c) => c.tenantId));
      for (let i = 0; i < n; i++) {
        const ctx = contexts[i]!;
        if (!matchesCompiled(compiled, ctx)) continue;
        const slot = slots === undefined ? -1 : slots[i]!;
        const bucket = slot >= 0 ? buckets!.bucketAt(slot, key) : rolloutBucket(ctx.tenantId, key);
        if (bucket < pct) out[i] = 1;
      }
      return out;
    }
  }
}

/**
 * What `explain` says, as one small integer per flag (see `explainAllCompiledCodes`):
 * OFF, ON, NO_SCOPE, SCOPE_MATCH, SCOPE_MISMATCH + the failing axis's index in SCOPE_AXES, or
 * BUCKET + the tenant's rollout bucket (0..99, inside the rollout when below the flag's pct).
 */
export const EXPLANATION_CODE = Object.freeze({ OFF: 0, ON: 1, NO_SCOPE: 2, SCOPE_MATCH: 3, SCOPE_MISMATCH: 4, BUCKET: 8 });

/** The first failing axis's index in SCOPE_AXES order (plans, tenantSlugs, partnerSlugs, environments), or -1. */
function failingAxisCompiled(flag: CompiledFlag, ctx: EvaluationContext): number {
  if (flag.plans !== null && !flag.plans.has(ctx.plan)) return 0;
  if (flag.tenantSlugs !== null && !flag.tenantSlugs.has(ctx.tenantSlug)) return 1;
  if (flag.partnerSlugs !== null && (ctx.partnerSlug === null || !flag.partnerSlugs.has(ctx.partnerSlug))) return 2;
  if (flag.environments !== null && !flag.environments.has(ctx.environment)) return 3;
  return -1;
}

/**
 * `explain(flags[i], ctx, buckets)` for every flag `compiled` was made from, as codes written
 * to `out[i]` (EXPLANATION_CODE; `out` needs room for `compiled.size`): a server answering
 * every flag's reason makes no explanation object per flag, and its answer per flag and code
 * can be made once. With a store the tenant's slot is looked up once, and only if a bucket is
 * needed. `explanationOfCode` turns a code back into the explanation.
 */
export function explainAllCompiledCodes(compiled: CompiledFlags, ctx: EvaluationContext, buckets: RolloutBuckets | undefined, out: Uint8Array): Uint8Array {
  const flags = (compiled as unknown as CompiledFlagsImpl).flags;
  let slot = buckets === undefined ? -1 : -2;
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    let code: number;
    switch (flag.state) {
      case 'on':
        code = EXPLANATION_CODE.ON;
        break;
      case 'targeted': {
        if (!flag.scoped) code = EXPLANATION_CODE.NO_SCOPE;
        else {
          const axis = failingAxisCompiled(flag, ctx);
          code = axis < 0 ? EXPLANATION_CODE.SCOPE_MATCH : EXPLANATION_CODE.SCOPE_MISMATCH + axis;
        }
        break;
      }
      case 'rollout': {
        const axis = failingAxisCompiled(flag, ctx);
        if (axis >= 0) code = EXPLANATION_CODE.SCOPE_MISMATCH + axis;
        else {
          if (slot === -2) slot = buckets!.slotOf(ctx.tenantId);
          code = EXPLANATION_CODE.BUCKET + (slot >= 0 ? buckets!.bucketAt(slot, flag.key) : rolloutBucket(ctx.tenantId, flag.key));
        }
        break;
      }
      default:
        code = EXPLANATION_CODE.OFF;
    }
    out[i] = code;
  }
  return out;
}

/** The explanation a code of `explainAllCompiledCodes` stands for, for a flag of rollout percentage `pct`. */
export function explanationOfCode(code: number, pct: number): Explanation {
  if (code >= EXPLANATION_CODE.BUCKET) {
    const bucket = code - EXPLANATION_CODE.BUCKET;
    const value = bucket < pct;
    return { value, reason: value ? 'inside-rollout' : 'outside-rollout', bucket, pct };
  }
  if (code >= EXPLANATION_CODE.SCOPE_MISMATCH) return { value: false, reason: 'scope-mismatch', axis: SCOPE_AXES[code - EXPLANATION_CODE.SCOPE_MISMATCH]! };
  if (code === EXPLANATION_CODE.SCOPE_MATCH) return { value: true, reason: 'scope-match' };
  if (code === EXPLANATION_CODE.NO_SCOPE) return { value: false, reason: 'no-scope' };
  if (code === EXPLANATION_CODE.ON) return { value: true, reason: 'on' };
  return { value: false, reason: 'off' };
}
