/**
 * `keyless explain --cloud gcp`: the token against a workload identity provider — from IAM v1
 * JSON (`--provider-file`) or read through IAM (`--provider NAME` with `--endpoint-url`, e.g. the
 * Google emulator) — and, with `--service-account`, against that account's IAM policy (read
 * live, or from `--policy-file`). Runs src/federation/gcp/explain.ts, the emulator's chain.
 */
import { explainGcpDecision } from '../../../federation/gcp/explain.js'
import type { IamPolicy } from '../../../federation/gcp/iam-policy.js'
import type { ProviderDefinition } from '../../../federation/gcp/provider.js'
import { KeylessError } from '../../../shared/errors.js'
import { readPathOrStdin, readValue, type CommandIo } from '../../io.js'
import { entraCall } from '../../setup/azure/entra-http.js'
import { serviceAccountName } from '../../setup/gcp/render.js'
import type { CloudExplainer, ExplainOptions } from '../cloud.js'

const IAM = 'https://iam.googleapis.com'

type Provider = ProviderDefinition & { readonly name?: string }

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new KeylessError('input_unreadable', `${what} is not JSON`)
  }
}

/** One provider: IAM's get answer, or a list (IAM's, keyless setup gcp's) holding exactly one. */
function providerOf(json: unknown): Provider {
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>
  const list = o['workloadIdentityPoolProviders'] ?? o['providers']
  const all = Array.isArray(list) ? list : 'oidc' in o ? [o] : []
  if (all.length !== 1 || typeof all[0] !== 'object' || all[0] === null)
    throw new KeylessError(
      'input_unreadable',
      `expected one workload identity provider (IAM v1 JSON), found ${all.length}`,
    )
  return all[0] as Provider
}

function connection(options: ExplainOptions) {
  if (options.adminToken === undefined)
    throw new KeylessError(
      'usage_error',
      'reading from IAM needs --admin-token (the emulator: test)',
    )
  const url = options.endpointUrl?.replace(/\/+$/u, '') ?? IAM
  return { url, c: { graphUrl: url, armUrl: url, token: options.adminToken } }
}

async function provider(options: ExplainOptions, io: CommandIo): Promise<Provider> {
  if (options.providerFile !== undefined)
    return providerOf(
      parse((await readPathOrStdin(options.providerFile, io)).text, '--provider-file'),
    )
  if (options.provider === undefined)
    throw new KeylessError(
      'usage_error',
      'give --provider-file FILE (IAM v1 JSON, or - for stdin), or --provider projects/N/locations/global/workloadIdentityPools/P/providers/ID with --endpoint-url',
    )
  const { url, c } = connection(options)
  const name = options.provider.replace(/^\/+/u, '')
  const answer = (await entraCall(c, 'GET', `${url}/v1/${name}`)).json as Provider
  return { ...answer, name }
}

async function policy(options: ExplainOptions, io: CommandIo): Promise<IamPolicy | undefined> {
  if (options.serviceAccount === undefined) return undefined
  if (options.policyFile !== undefined)
    return parse((await readPathOrStdin(options.policyFile, io)).text, '--policy-file') as IamPolicy
  const { url, c } = connection(options)
  const name = serviceAccountName(options.serviceAccount)
  const answer = (await entraCall(c, 'POST', `${url}/v1/${name}:getIamPolicy`, {})).json
  return { version: 1, etag: '', bindings: [], ...(answer as object) }
}

export const gcpExplainer: CloudExplainer = {
  cloud: 'gcp',
  async explain(options, io) {
    const token = await readValue(options.token, io)
    const p = await provider(options, io)
    const iamPolicy = await policy(options, io)
    return explainGcpDecision({
      provider: p,
      token,
      nowMs: io.clock.now().getTime(),
      ...(options.serviceAccount === undefined || iamPolicy === undefined
        ? {}
        : { serviceAccountEmail: options.serviceAccount, policy: iamPolicy }),
    })
  },
}
