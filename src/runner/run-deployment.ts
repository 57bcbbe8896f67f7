import type { AgentDeployment } from '../shared/contracts/agent-api.js'
import { DeploymentRun } from './deployment-run.js'
import type { RunnerDeps, RunnerOptions, RunResult } from './types.js'

/**
 * Runs one deployment (docs/architecture.md §5): prepares the template directory, mints the
 * deployment's token, exchanges it at STS for temporary credentials (or serves them from a loopback
 * endpoint in refresh mode), runs the steps in order with the deployment's environment, masks every
 * secret in the output, and says how it ended. It never throws: every problem becomes a failed
 * result with a message a person can act on.
 */
export async function runDeployment(
  deployment: AgentDeployment,
  options: RunnerOptions,
  deps: RunnerDeps,
): Promise<RunResult> {
  return new DeploymentRun(deployment, options, deps).run()
}
