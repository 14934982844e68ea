import { inRolloutBucket } from './bucket.js';
import { setResult } from './result.js';
import type { EvaluationContext, FlagDefinition, FlagScope } from './types.js';

// What a compiled flag has left to check for a context.
const ALWAYS_FALSE = 0; // off; targeted with an empty scope; rollout with pct <= 0; unknown state
const ALWAYS_TRUE = 1; // on; rollout with an empty scope and pct >= 100
const SCOPE_ONLY = 2; // targeted with a scope; rollout with a scope and pct >= 100
const SCOPE_AND_BUCKET = 3; // rollout with 0 < pct < 100
type Kind = typeof ALWAYS_FALSE | typeof ALWAYS_TRUE | typeof SCOPE_ONLY | typeof SCOPE_AND_BUCKET;

interface CompiledFlag {
  readonly key: string;
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
  return { key: flag.key, kind, pct, plans, tenantSlugs, partnerSlugs, environments };
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

/** Same answers as `evaluateAll(flags, ctx)` for the flags `compiled` was made from. */
export function evaluateAllCompiled(compiled: CompiledFlags, ctx: EvaluationContext): Record<string, boolean> {
  const flags = (compiled as unknown as CompiledFlagsImpl).flags;
  const out: Record<string, boolean> = {};
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    let value: boolean;
    switch (flag.kind) {
      case ALWAYS_FALSE:
        value = false;
        break;
      case ALWAYS_TRUE:
        value = true;
        break;
      case SCOPE_ONLY:
        value = matchesCompiled(flag, ctx);
        break;
      default:
        value = matchesCompiled(flag, ctx) && inRolloutBucket(ctx.tenantId, flag.key, flag.pct);
    }
    setResult(out, flag.key, value);
  }
  return out;
}
