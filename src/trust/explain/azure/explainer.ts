/**
 * `keyless explain --cloud azure`: the token against an application's federated identity
 * credentials, from a Graph-shaped JSON file (`--fic-file`) or read through Graph
 * (`--client-id` with `--endpoint-url`, e.g. the Entra emulator).
 */
import { KeylessError } from '../../../shared/errors.js'
import { readPathOrStdin, readValue, type CommandIo } from '../../io.js'
import { readFics, type ReadApplication } from '../../lint-azure/read.js'
import { entraCall } from '../../setup/azure/entra-http.js'
import type { CloudExplainer, ExplainOptions } from '../cloud.js'
import { explainAzure } from './explain.js'
import type { FicRecord } from './world.js'

const GRAPH = 'https://graph.microsoft.com'

/** The application's credentials as Graph lists them (`GET …/federatedIdentityCredentials`). */
async function readLive(options: ExplainOptions, io: CommandIo): Promise<string> {
  if (options.adminToken === undefined)
    throw new KeylessError(
      'usage_error',
      'reading from Graph needs --admin-token (the emulator: test)',
    )
  const ca =
    options.caFile === undefined ? undefined : (await readPathOrStdin(options.caFile, io)).text
  const graphUrl = options.endpointUrl?.replace(/\/+$/u, '') ?? GRAPH
  const url = `${graphUrl}/v1.0/applications(appId='${encodeURIComponent(options.clientId ?? '')}')/federatedIdentityCredentials`
  const answer = await entraCall(
    { graphUrl, armUrl: graphUrl, token: options.adminToken, ...(ca === undefined ? {} : { ca }) },
    'GET',
    url,
  )
  return JSON.stringify(answer.json)
}

/** The one application of the document: the only one, or the one `--client-id` names. */
function applicationOf(
  apps: readonly ReadApplication[],
  clientId: string | undefined,
): ReadApplication {
  const chosen =
    clientId === undefined
      ? apps
      : apps.filter((a) => a.application === clientId || a.application === null)
  const app = chosen[0]
  if (app === undefined || chosen.length > 1)
    throw new KeylessError(
      'usage_error',
      `the file holds ${chosen.length === 0 ? 'no credentials' : `${chosen.length} applications`} for ${clientId ?? 'any application'}: choose one with --client-id`,
    )
  return app
}

async function ficsOf(
  options: ExplainOptions,
  io: CommandIo,
): Promise<{ records: FicRecord[]; clientId?: string }> {
  if (options.ficFile === undefined && options.clientId === undefined)
    throw new KeylessError(
      'usage_error',
      'give --fic-file FILE (Graph JSON, or - for stdin), or --client-id GUID with --endpoint-url for Graph',
    )
  const text =
    options.ficFile === undefined
      ? await readLive(options, io)
      : (await readPathOrStdin(options.ficFile, io)).text
  const app = applicationOf(readFics(text), options.clientId)
  const clientId = options.clientId ?? app.application ?? undefined
  const records = app.fics.map(
    ({ name, issuer, subject, audiences, claimsMatchingExpression }) => ({
      name,
      issuer,
      subject,
      audiences,
      claimsMatchingExpression,
    }),
  )
  return { records, ...(clientId === undefined ? {} : { clientId }) }
}

export const azureExplainer: CloudExplainer = {
  cloud: 'azure',
  async explain(options, io) {
    const token = await readValue(options.token, io)
    const { records, clientId } = await ficsOf(options, io)
    return explainAzure({
      token,
      fics: records,
      ...(clientId === undefined ? {} : { clientId }),
      ...(options.audience === undefined ? {} : { audience: options.audience }),
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      now: io.clock.now(),
    })
  },
}
