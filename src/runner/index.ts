/**
 * The runner: runs one deployment (docs/architecture.md §5). The agent is its only caller besides
 * tests.
 */
export { runDeployment } from './run-deployment.js'
export type {
  AwsCredentials,
  IssuedToken,
  RunResult,
  RunTimings,
  RunnerDeps,
  RunnerOptions,
  StepReport,
} from './types.js'
export { SecretSet, StreamMasker, MASK } from './mask.js'
