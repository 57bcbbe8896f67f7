/**
 * `keyless lint --cloud azure`: the federated-credential rules of docs/lint-rules.md ("Azure")
 * over Graph JSON from FILE/stdin, or read from Graph (`--client-id`) or ARM (`--identity`) at the
 * Entra emulator or Microsoft's.
 */
import { KeylessError } from '../../shared/errors.js'
import { readCaFile } from '../entra-options.js'
import {
  ARM_API_VERSION,
  azureLintJson,
  azureLintText,
  entraCall,
  lintFics,
  readPathOrStdin,
  type AzureLintOptions,
  type CommandIo,
} from '../../trust/index.js'

export interface AzureLintFlags {
  readonly issuer?: string
  readonly audience?: string
  readonly subjectTemplate?: string
  readonly organization?: string
  readonly clientId?: string
  readonly identity?: string
  readonly endpointUrl?: string
  readonly caFile?: string
  readonly adminToken?: string
  readonly format: string
}

/** The FICs of an application (Graph) or managed identity (ARM), as the JSON lint reads. */
async function readLive(
  flags: AzureLintFlags,
  token: string,
): Promise<{ text: string; name: string }> {
  const base = flags.endpointUrl?.replace(/\/+$/u, '')
  const ca = readCaFile(flags.caFile)
  const c = {
    graphUrl: base ?? 'https://graph.microsoft.com',
    armUrl: base ?? 'https://management.azure.com',
    token,
    ...(ca === undefined ? {} : { ca }),
  }
  const url =
    flags.identity !== undefined
      ? `${c.armUrl}${flags.identity}/federatedIdentityCredentials?api-version=${ARM_API_VERSION}`
      : `${c.graphUrl}/v1.0/applications(appId='${encodeURIComponent(flags.clientId ?? '')}')/federatedIdentityCredentials`
  const answer = await entraCall(c, 'GET', url)
  return {
    text: JSON.stringify(answer.json),
    name: flags.identity ?? `application ${flags.clientId ?? ''}`,
  }
}

export async function lintAzure(
  file: string | undefined,
  flags: AzureLintFlags,
  io: CommandIo,
): Promise<void> {
  if (flags.format !== 'text' && flags.format !== 'json')
    throw new KeylessError(
      'usage_error',
      `--cloud azure: --format must be text or json (got ${JSON.stringify(flags.format)})`,
    )
  let input: { text: string; name: string }
  if (file !== undefined) input = await readPathOrStdin(file, io)
  else if (flags.clientId !== undefined || flags.identity !== undefined) {
    if (flags.adminToken === undefined)
      throw new KeylessError(
        'usage_error',
        'reading from Graph or ARM needs --admin-token (the emulator: test)',
      )
    input = await readLive(flags, flags.adminToken)
  } else
    throw new KeylessError(
      'usage_error',
      'give a FILE of federated credentials (Graph JSON, or - for stdin), --client-id or --identity',
    )
  const options: AzureLintOptions = {
    ...(flags.issuer === undefined ? {} : { issuer: flags.issuer }),
    ...(flags.audience === undefined ? {} : { audience: flags.audience }),
    ...(flags.subjectTemplate === undefined ? {} : { subjectTemplate: flags.subjectTemplate }),
    ...(flags.organization === undefined ? {} : { organizationId: flags.organization }),
  }
  const result = lintFics(input.text, options)
  for (const note of skippedChecks(flags)) io.stderr.write(`note: ${note}\n`)
  io.stdout.write(
    flags.format === 'json' ? azureLintJson(result) : azureLintText(result, input.name),
  )
  io.setExitCode(result.summary.errors > 0 ? 1 : 0)
}

/** What the lint could not check without the flags that name keyless's side (stderr notes). */
export function skippedChecks(flags: {
  readonly issuer?: string
  readonly audience?: string
  readonly organization?: string
}): string[] {
  const notes: string[] = []
  if (flags.issuer === undefined)
    notes.push(
      "no --issuer: every federated credential was judged as keyless's and AZ01 (issuer spelled differently) was not checked; pass the issuer of GET /api/v1/organizations/{id}/oidc",
    )
  if (flags.audience === undefined && flags.organization === undefined)
    notes.push(
      "no --organization or --audience: AZ04 checked only that each credential has one audience, not that it is the credential's (azure:<organizationId> by default)",
    )
  return notes
}
