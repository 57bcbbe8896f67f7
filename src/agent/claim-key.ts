import { randomBytes } from 'node:crypto'

/**
 * A fresh key for one claim attempt (src/shared/contracts/agent-api.ts `claimKeySchema`): 144
 * random bits, base64url (24 characters). The agent sends it again unchanged while the attempt
 * gets no answer, so a claim the server committed but whose answer was lost is delivered on the
 * retry instead of waiting out its lease (docs/deployments.md).
 */
export function newClaimKey(): string {
  return randomBytes(18).toString('base64url')
}
