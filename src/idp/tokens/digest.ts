import { createHash } from 'node:crypto'

/** JSON with object keys sorted at every level (arrays keep their order): one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort())
      out[key] = sortKeys((value as Record<string, unknown>)[key])
    return out
  }
  return value
}

/** SHA-256 (hex) of the canonical JSON of a claim set: what the audit log records. */
export function claimsDigest(claims: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(canonicalJson(claims)).digest('hex')
}
