import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { AgentDeployment } from '../shared/contracts/agent-api.js'
import { RunFailure } from './failure-error.js'
import type { RunPhase } from '../shared/contracts/common.js'

/** One process the runner starts for a deployment. */
export interface PlannedStep {
  readonly name: string
  readonly command: string
  readonly args: readonly string[]
  /** `plan`: the step writes the plan file (its summary is read after it). */
  readonly kind?: 'init' | 'plan' | 'apply'
  /** The run phase it belongs to (its own token and AWS session); absent: the deployment's. */
  readonly phase?: RunPhase
}

const BINARIES = { terraform: 'terraform', opentofu: 'tofu' } as const

/** An executable found on `path` (a PATH value), or undefined. */
export function findOnPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

function shellStep(name: string, run: string): PlannedStep {
  return { name, command: '/bin/sh', args: ['-c', run] }
}

/**
 * The steps of a deployment. `custom`: the template's commands, each through `/bin/sh -c` in the
 * template's directory. `terraform` / `opentofu`: init, then plan with `-out` and apply of that
 * plan file (`deploy`), plan `-destroy` and apply (`destroy`), plan only (`plan`), or the template's
 * commands after init (`task`); always `-input=false`. The binary comes from the steps' PATH.
 */
export function planSteps(
  deployment: AgentDeployment,
  options: { readonly path: string; readonly planFile: string },
): PlannedStep[] {
  const template = deployment.template
  if (template.type === 'custom') {
    return template.steps.map((s, i) => shellStep(s.name === '' ? `step ${i + 1}` : s.name, s.run))
  }
  const name = BINARIES[template.type]
  const binary = findOnPath(name, options.path)
  if (binary === undefined) {
    throw new RunFailure({
      code: 'tool_missing',
      message:
        `${name} was not found on the agent's PATH (${options.path}). ` +
        `Install ${template.type === 'terraform' ? 'Terraform' : 'OpenTofu'} on the agent's machine ` +
        `(the template "${template.name}" is of type ${template.type}), or put it on the PATH the agent runs with.`,
    })
  }
  const tool = (kind: PlannedStep['kind'], stepName: string, ...args: string[]): PlannedStep => ({
    name: stepName,
    command: binary,
    args,
    ...(kind === undefined ? {} : { kind }),
    ...(kind === undefined ? {} : { phase: kind === 'apply' ? 'apply' : 'plan' }),
  })
  const init = tool('init', `${name} init`, 'init', '-input=false', '-no-color')
  const plan = (...extra: string[]): PlannedStep =>
    tool(
      'plan',
      `${name} plan${extra.includes('-destroy') ? ' -destroy' : ''}`,
      'plan',
      '-input=false',
      '-no-color',
      ...extra,
      `-out=${options.planFile}`,
    )
  const apply = tool(
    'apply',
    `${name} apply`,
    'apply',
    '-input=false',
    '-no-color',
    options.planFile,
  )
  switch (deployment.type) {
    case 'deploy':
      return [init, plan(), apply]
    case 'destroy':
      return [init, plan('-destroy'), apply]
    case 'plan':
      return [init, plan()]
    case 'task':
      return [init, ...template.steps.map((s, i) => shellStep(s.name || `step ${i + 1}`, s.run))]
  }
}
