/**
 * `keyless lint --cloud gcp`: the workload-identity rules of docs/lint-rules.md ("Google Cloud")
 * over provider JSON from FILE/stdin, or read live through IAM v1 (`--provider`, and the policy of
 * `--service-account`) at the Google emulator or Google's.
 */
import { KeylessError } from '../../shared/errors.js'
import { readCaFile } from '../entra-options.js'
import {
  azureLintJson,
  azureLintText,
  entraCall,
  lintProviders,
  readPathOrStdin,
  serviceAccountName,
  type CommandIo,
  type GcpLintOptions,
} from '../../trust/index.js'

export interface GcpLintFlags {
  readonly audience?: string
  readonly subjectTemplate?: string
  readonly organization?: string
  readonly provider?: string
  readonly serviceAccount?: string
  readonly endpointUrl?: string
  readonly caFile?: string
  readonly adminToken?: string
  readonly format: string
}

/** The provider (and the service account's policy) as the JSON lint reads. */
async function readLive(
  flags: GcpLintFlags,
  token: string,
): Promise<{ text: string; name: string }> {
  const url = (flags.endpointUrl ?? 'https://iam.googleapis.com').replace(/\/+$/u, '')
  const ca = readCaFile(flags.caFile)
  const c = { graphUrl: url, armUrl: url, token, ...(ca === undefined ? {} : { ca }) }
  const providers =
    flags.provider === undefined
      ? []
      : [(await entraCall(c, 'GET', `${url}/v1/${flags.provider.replace(/^\/+/u, '')}`)).json]
  let bindings: unknown[] = []
  if (flags.serviceAccount !== undefined) {
    const name = serviceAccountName(flags.serviceAccount)
    const policy = (await entraCall(c, 'POST', `${url}/v1/${name}:getIamPolicy`, {})).json as {
      bindings?: unknown[]
    }
    bindings = (policy.bindings ?? []).map((b) => ({ ...(b as object), serviceAccount: name }))
  }
  return {
    text: JSON.stringify({ providers, bindings }),
    name: flags.provider ?? flags.serviceAccount ?? '',
  }
}

export async function lintGcp(
  file: string | undefined,
  flags: GcpLintFlags,
  io: CommandIo,
): Promise<void> {
  if (flags.format !== 'text' && flags.format !== 'json')
    throw new KeylessError(
      'usage_error',
      `--cloud gcp: --format must be text or json (got ${JSON.stringify(flags.format)})`,
    )
  let input: { text: string; name: string }
  if (file !== undefined) input = await readPathOrStdin(file, io)
  else if (flags.provider !== undefined || flags.serviceAccount !== undefined) {
    if (flags.adminToken === undefined)
      throw new KeylessError(
        'usage_error',
        'reading from IAM needs --admin-token (the emulator: test)',
      )
    input = await readLive(flags, flags.adminToken)
  } else
    throw new KeylessError(
      'usage_error',
      'give a FILE of providers (IAM v1 JSON, or - for stdin), --provider or --service-account',
    )
  const options: GcpLintOptions = {
    ...(flags.audience === undefined ? {} : { audience: flags.audience }),
    ...(flags.subjectTemplate === undefined ? {} : { subjectTemplate: flags.subjectTemplate }),
    ...(flags.organization === undefined ? {} : { organizationId: flags.organization }),
  }
  const result = lintProviders(input.text, options)
  io.stdout.write(
    flags.format === 'json' ? azureLintJson(result) : azureLintText(result, input.name),
  )
  io.setExitCode(result.summary.errors > 0 ? 1 : 0)
}
