import type { Command } from 'commander'
import { ControlPlaneClient } from '../../client/index.js'
import { clientOptions, type ConfigOf } from '../../shared/config/index.js'
import { DEPLOYMENT_TYPES, type DeploymentType } from '../../shared/contracts/common.js'
import type { LogEntry } from '../../shared/contracts/log-entry.js'
import type { Deployment } from '../../shared/contracts/resources.js'
import { errorTable } from '../../shared/error-codes.js'
import { KeylessError } from '../../shared/errors.js'
import { failureLines } from '../failure-lines.js'
import { addOptions, type ParsedFlags } from '../options.js'
import { planLines, waitingLine } from '../plan-table.js'

interface DeployFlags {
  readonly environment?: string
  readonly type?: string
  readonly wait?: boolean
}

/** `keyless deploy`: queue a deployment; with `--wait`, stream its log and exit with its result. */
export function register(program: Command): void {
  const command = program
    .command('deploy')
    .description(
      'Queue a deployment of an environment; --wait streams its log and exits with its result',
    )
    .option('--environment <id>', 'environment to deploy (required to queue one)')
    .option('--type <type>', `deploy, destroy, plan or task (default deploy)`)
    .option(
      '--wait',
      'stream the log and exit with the deployment result (0 succeeded, 1 otherwise)',
    )
  const client = addOptions(command, clientOptions)
  command.action((flags: DeployFlags & ParsedFlags) => run(flags, client(flags)))
  for (const decision of ['approve', 'reject'] as const) {
    const sub = command
      .command(`${decision} <id>`)
      .description(
        decision === 'approve'
          ? 'Approve a deployment awaiting approval: its agent applies exactly the saved plan'
          : 'Reject a deployment awaiting approval: nothing is applied, it ends rejected',
      )
      .option('--comment <text>', 'why (kept with the decision and in the audit log)')
    const subClient = addOptions(sub, clientOptions)
    sub.action((id: string, flags: { comment?: string } & ParsedFlags) =>
      // Options given before the subcommand's name are the parent's.
      decide(decision, id, flags.comment, subClient({ ...command.opts(), ...flags })),
    )
  }
}

async function decide(
  decision: 'approve' | 'reject',
  id: string,
  comment: string | undefined,
  config: ConfigOf<typeof clientOptions>,
): Promise<void> {
  if (config.apiKey === undefined) {
    throw new KeylessError('usage_error', 'an API key is needed: --api-key or KEYLESS_API_KEY')
  }
  const api = new ControlPlaneClient({ server: config.server, apiKey: config.apiKey })
  const body = comment === undefined ? {} : { comment }
  const d =
    decision === 'approve'
      ? await api.approveDeployment(id, body)
      : await api.rejectDeployment(id, body)
  process.stdout.write(
    `deployment ${d.id} ${d.status === 'running' ? 'approved: applying' : d.status}\n`,
  )
}

async function run(flags: DeployFlags, config: ConfigOf<typeof clientOptions>): Promise<void> {
  if (config.apiKey === undefined) {
    throw new KeylessError('usage_error', 'an API key is needed: --api-key or KEYLESS_API_KEY')
  }
  if (flags.environment === undefined)
    throw new KeylessError('usage_error', "required option '--environment <id>' not specified")
  const type = (flags.type ?? 'deploy') as DeploymentType
  if (!DEPLOYMENT_TYPES.includes(type)) {
    throw new KeylessError('usage_error', `--type must be one of ${DEPLOYMENT_TYPES.join(', ')}`)
  }
  const api = new ControlPlaneClient({ server: config.server, apiKey: config.apiKey })
  const created = await api.createDeployment(flags.environment, { type })
  process.stdout.write(`queued ${type} ${created.id}\n`)
  if (created.waitingFor !== null) process.stdout.write(`${waitingLine(created.waitingFor)}\n`)
  if (flags.wait !== true) return
  await sayWhenNoAgent(api, created)
  let said = created.waitingFor?.message
  await api.waitStarted(created.id, (waiting) => {
    if (waiting.message !== said) process.stdout.write(`${waitingLine(waiting)}\n`)
    said = waiting.message
  })
  const shown: string[] = []
  await api.streamLogs(created.id, (line) => {
    if (line.stream === 'system') shown.push(line.text)
    process.stdout.write(`${formatLogLine(line)}\n`)
  })
  const final = await api.waitFinished(created.id)
  if (final.assumedRoleArn !== null) process.stdout.write(`assumed role: ${final.assumedRoleArn}\n`)
  if (final.plan !== null)
    for (const line of planLines(final.plan)) process.stdout.write(`${line}\n`)
  process.stdout.write(`deployment ${final.id} ${final.status}\n`)
  if (final.status !== 'succeeded') {
    for (const line of failureLines(final, shown)) process.stderr.write(`${line}\n`)
    process.exitCode = errorTable.deployment_failed.exit
  }
}

/** A queued deployment in an organization that no agent serves would wait forever: say so. */
async function sayWhenNoAgent(api: ControlPlaneClient, created: Deployment): Promise<void> {
  if (created.status !== 'queued') return
  const presence = await api.agentPresence(created.organizationId)
  if (presence.serving) return
  const minutes = Math.round(presence.windowSeconds / 60)
  process.stdout.write(
    [
      `no agent serves organization ${created.organizationId}: none has polled in the last ${minutes} minutes, so the deployment waits.`,
      `  start one: keyless agent --server ${api.server} --token <agent token>`,
      `  (an admin creates a token in the console or with POST /api/v1/organizations/${created.organizationId}/agent-tokens;`,
      `  keyless up runs an agent beside the control plane)`,
      '',
    ].join('\n'),
  )
}

/** A log line as the CLI prints it: system lines (the runner's own) marked with `»`. */
export function formatLogLine(line: LogEntry): string {
  return line.stream === 'system' ? `» ${line.text}` : line.text
}
