// @dezky/flags-core: the pure feature-flag evaluator. Rules: ../EVALUATION.md.
// Only ./bucket.ts uses a Node API (node:crypto); browser code should import
// '@dezky/flags-core/scope', which is free of Node APIs.
export type {
  EvaluationContext,
  Explanation,
  ExplanationReason,
  FlagDefinition,
  FlagScope,
  FlagState,
  ScopeAxis,
} from './types.js';
export { SCOPE_AXES, firstFailingAxis, hasAnyScope, matchesScope } from './scope.js';
export { inRolloutBucket, rolloutBucket } from './bucket.js';
export { RolloutBuckets, type RolloutBucketsStats } from './store.js';
export { evaluateAll, evaluateFlag, explain } from './evaluate.js';
export {
  EXPLANATION_CODE,
  compileFlags,
  evaluateAllCompiled,
  evaluateAllCompiledJson,
  evaluateFlagForEach,
  explainAllCompiledCodes,
  explanationOfCode,
  type CompiledFlags,
} from './compiled.js';
