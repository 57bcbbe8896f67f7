/**
 * `keyless explain --environment`: the claims the environment's next token would carry, from
 * `GET /api/v1/environments/{id}/oidc-preview` (src/server/routes/oidc.ts), as an unsigned JWT the
 * explainers read like any other token (offline, they never check a signature). No deployment
 * has to be queued and no token minted, so nothing races the agent for it.
 */
import type { ControlPlaneClient } from '../client/index.js'

/** Marks the signature segment of a preview: not a signature, and never accepted by a cloud. */
const NOT_SIGNED = Buffer.from('keyless preview: not signed').toString('base64url')

const b64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')

export interface PreviewToken {
  readonly token: string
  /** One stderr line saying where the claims came from. */
  readonly note: string
}

export async function previewToken(
  client: Pick<ControlPlaneClient, 'environmentPreview'>,
  environmentId: string,
  query: { readonly cloud: string; readonly type: string },
): Promise<PreviewToken> {
  const preview = await client.environmentPreview(environmentId, query)
  const header = { alg: 'RS256', typ: 'JWT', kid: 'keyless-preview' }
  return {
    token: `${b64url(header)}.${b64url(preview.claims)}.${NOT_SIGNED}`,
    note: `explaining the claims of environment ${environmentId}'s next ${query.type} token for ${query.cloud} (oidc-preview: unsigned, sensitive values shown as ***)`,
  }
}
