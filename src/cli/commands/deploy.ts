import type { Command } from 'commander'
import { clientOptions, type ConfigOf } from '../../shared/config/index.js'
import { DEPLOYMENT_TYPES, type DeploymentType } from '../../shared/contracts/common.js'
import { errorTable, type ErrorCode } from '../../shared/error-codes.js'
import { KeylessError } from '../../shared/errors.js'
import { addOptions, type ParsedFlags } from '../options.js'

interface DeployFlags {
  readonly environment: string
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
    .requiredOption('--environment <id>', 'environment to deploy')
    .option('--type <type>', `deploy, destroy, plan or task (default deploy)`)
    .option(
      '--wait',
      'stream the log and exit with the deployment result (0 succeeded, 1 otherwise)',
    )
  const client = addOptions(command, clientOptions)
  command.action((flags: DeployFlags & ParsedFlags) => run(flags, client(flags)))
}

interface DeploymentView {
  readonly id: string
  readonly status: string
  readonly message?: string | null
  readonly failure?: { code?: string; message: string } | null
  readonly assumedRoleArn?: string | null
}

async function run(flags: DeployFlags, config: ConfigOf<typeof clientOptions>): Promise<void> {
  if (config.apiKey === undefined) {
    throw new KeylessError('usage_error', 'an API key is needed: --api-key or KEYLESS_API_KEY')
  }
  const type = (flags.type ?? 'deploy') as DeploymentType
  if (!DEPLOYMENT_TYPES.includes(type)) {
    throw new KeylessError('usage_error', `--type must be one of ${DEPLOYMENT_TYPES.join(', ')}`)
  }
  const api = new Api(config.server, config.apiKey)
  const created = await api.json<DeploymentView>(
    'POST',
    `/api/v1/environments/${encodeURIComponent(flags.environment)}/deployments`,
    { type },
  )
  process.stdout.write(`queued ${type} ${created.id}\n`)
  if (flags.wait !== true) return
  await streamLogs(api, created.id, (text) => process.stdout.write(`${text}\n`))
  const final = await waitFinished(api, created.id)
  if (final.assumedRoleArn !== undefined && final.assumedRoleArn !== null)
    process.stdout.write(`assumed role: ${final.assumedRoleArn}\n`)
  process.stdout.write(`deployment ${final.id} ${final.status}\n`)
  if (final.status !== 'succeeded') {
    const why = final.failure?.message ?? final.message ?? ''
    if (why !== '') process.stderr.write(`${why}\n`)
    process.exitCode = errorTable.deployment_failed.exit
  }
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled'])

async function waitFinished(api: Api, id: string): Promise<DeploymentView> {
  for (;;) {
    const d = await api.json<DeploymentView>('GET', `/api/v1/deployments/${encodeURIComponent(id)}`)
    if (FINISHED.has(d.status)) return d
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Reads `GET /api/v1/deployments/{id}/logs` (Server-Sent Events) until its `end` event. */
export async function streamLogs(
  api: Api,
  id: string,
  write: (text: string) => void,
): Promise<void> {
  const res = await api.raw(
    'GET',
    `/api/v1/deployments/${encodeURIComponent(id)}/logs`,
    undefined,
    {
      accept: 'text/event-stream',
    },
  )
  if (!res.ok || res.body === null) throw await api.error(res)
  const decoder = new TextDecoder()
  let buffer = ''
  let event = 'message'
  let data: string[] = []
  const reader = res.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    buffer += decoder.decode(value, { stream: true })
    let newline = buffer.indexOf('\n')
    while (newline >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/u, '')
      buffer = buffer.slice(newline + 1)
      newline = buffer.indexOf('\n')
      if (line === '') {
        if (event === 'end') {
          await reader.cancel()
          return
        }
        if ((event === 'log' || event === 'message') && data.length > 0)
          write(formatLogEvent(data.join('\n')))
        event = 'message'
        data = []
      } else if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /u, ''))
    }
  }
}

function formatLogEvent(data: string): string {
  try {
    const parsed = JSON.parse(data) as { text?: unknown; stream?: unknown }
    if (typeof parsed.text === 'string')
      return parsed.stream === 'system' ? `» ${parsed.text}` : parsed.text
  } catch {
    // plain text
  }
  return data
}

/** A small REST client for the control plane's `/api/v1`. */
export class Api {
  readonly #base: string
  readonly #key: string
  constructor(server: string, key: string) {
    this.#base = server.replace(/\/+$/u, '')
    this.#key = key
  }

  async raw(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    try {
      return await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    } catch {
      throw new KeylessError(
        'upstream_unreachable',
        `the control plane at ${this.#base} could not be reached`,
      )
    }
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body)
    if (!res.ok) throw await this.error(res)
    if (res.status === 204) return undefined as T
    return (await res.json()) as T
  }

  async error(res: Response): Promise<KeylessError> {
    let code: ErrorCode = 'internal_error'
    let message = `HTTP ${res.status}`
    try {
      const body = (await res.json()) as { error?: { code?: string; message?: string } }
      if (body.error?.code !== undefined && body.error.code in errorTable)
        code = body.error.code as ErrorCode
      if (body.error?.message !== undefined) message = body.error.message
    } catch {
      // not JSON
    }
    return new KeylessError(code, message)
  }
}
