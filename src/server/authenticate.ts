/** Who is calling: an API key on /api/v1, an agent token on /agent/v1 (`Authorization: Bearer`). */
import type { IncomingHttpHeaders } from 'node:http'
import type { Platform } from '../platform/index.js'
import { KeylessError } from '../shared/errors.js'
import type { Authenticator } from './routing.js'

function bearer(request: { readonly headers: IncomingHttpHeaders }): string | undefined {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  const m = /^Bearer\s+(\S+)\s*$/iu.exec(header)
  return m?.[1]
}

export function authenticator(platform: Platform): Authenticator {
  return async (kind, request) => {
    if (kind === 'none') return { kind: 'system' }
    const secret = bearer(request)
    if (secret === undefined)
      throw new KeylessError(
        'unauthorized',
        `missing Authorization: Bearer <${kind === 'agent' ? 'agent token' : 'API key'}>`,
      )
    const principal =
      kind === 'agent'
        ? await platform.authenticateAgent(secret)
        : await platform.authenticateKey(secret)
    if (principal === null)
      throw new KeylessError(
        'unauthorized',
        kind === 'agent' ? 'unknown or revoked agent token' : 'unknown or revoked API key',
      )
    return principal
  }
}
