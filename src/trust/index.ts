/**
 * Trust tools: lint trust policies, explain web-identity decisions, generate the AWS side,
 * compute OIDC thumbprints and decode tokens. Used by the CLI and by the control plane (console).
 */
export { lintTrustPolicy, MAX_STATEMENTS } from './lint/lint.js'
export { lintJson, lintText, lintSarif, type LintFormat } from './lint/format.js'
export { LINT_RULES, ruleAnchor } from './lint/rules.js'
export type {
  Finding,
  LintOptions,
  LintResult,
  LintRule,
  LintSummary,
  RuleId,
  Severity,
} from './lint/types.js'
export {
  analyzeSubjectPattern,
  describeScope,
  type SubjectPatternAnalysis,
  type SubjectScope,
} from './subject-pattern.js'
export { providerArnOf, providerUrlOf, providerUrlOfPrincipal } from './provider.js'
export {
  computeThumbprint,
  discoveryUrlOf,
  getJson,
  type ThumbprintOptions,
  type ThumbprintResult,
} from './thumbprint.js'
export {
  decodeToken,
  formatDecodedToken,
  type DecodedToken,
  type TokenTime,
} from './token/decode.js'
export { durationWords, relativeWords } from '../federation/words.js'
export { explainWebIdentity } from './explain/aws/explain.js'
export type {
  ExplainInput,
  ExplainStep,
  Explanation,
  AwsErrorAnswer,
  StepStatus,
} from './explain/aws/types.js'
export {
  EXPLAIN_CLOUDS,
  type CloudExplainer,
  type CloudExplanation,
  type ExplainCloud,
  type ExplainOptions,
} from './explain/cloud.js'
export { explainerFor } from './explain/explainers.js'
export { generateSetup, SETUP_FORMATS, type SetupFormat } from './setup/render.js'
export {
  planSetup,
  trustPolicyText,
  ACCOUNT_PLACEHOLDER,
  READ_ONLY_POLICY,
  type PhaseRole,
  type SetupInput,
  type SetupPlan,
  type SetupEnvironment,
  type TrustPolicyDocument,
} from './setup/trust-policy.js'
export {
  applySetup,
  callerAccount,
  readProvider,
  readRole,
  type ApplyResult,
  type AwsOptions,
  type LiveProvider,
  type LiveRole,
} from './aws.js'
export {
  preflight,
  type NegativeCase,
  type PreflightDeps,
  type PreflightResult,
} from './preflight.js'
export {
  controlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
  type Listed,
  type OidcPreview,
  type OrganizationOidc,
} from './control-plane.js'
export {
  processIo,
  readPathOrStdin,
  readValue,
  intOption,
  choiceOption,
  MAX_INPUT_BYTES,
  type CommandIo,
} from './io.js'
export * from './setup/azure/index.js'
export * from './setup/gcp/index.js'
export * from './lint-azure/index.js'
export * from './lint-gcp/index.js'
