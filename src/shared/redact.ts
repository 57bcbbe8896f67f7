/**
 * Sensitive values (sensitive variables: the `KEYLESS_OIDC_TAG` behind `userTag`, a role ARN
 * override, …) shown to nobody outside the token itself: previews, explanations and the claims a
 * deployment keeps show `<sensitive>` in their place (docs/security.md).
 */
export const SENSITIVE = '<sensitive>'

/** Shorter values are replaced only where a string is exactly the value or quotes it. */
const MIN_SUBSTRING = 4

export function redactString(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret === '') continue
    if (out === secret) return SENSITIVE
    if (secret.length >= MIN_SUBSTRING) out = out.replaceAll(secret, SENSITIVE)
    else
      for (const [open, close] of [
        ['`', '`'],
        ['"', '"'],
        ["'", "'"],
      ] as const)
        out = out.replaceAll(`${open}${secret}${close}`, `${open}${SENSITIVE}${close}`)
  }
  return out
}

/** A copy of a JSON value with every sensitive value replaced by `<sensitive>`, at any depth. */
export function redactSensitive(value: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return value
  if (typeof value === 'string') return redactString(value, secrets)
  if (Array.isArray(value)) return value.map((v: unknown) => redactSensitive(v, secrets))
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactSensitive(v, secrets)]),
    )
  return value
}

/** `redactSensitive` for a record of claims. */
export function redactClaims(
  claims: Readonly<Record<string, unknown>>,
  secrets: readonly string[],
): Readonly<Record<string, unknown>> {
  // Nothing to hide: the claims as they are (a copy would change nothing but cost one per mint).
  if (secrets.length === 0) return claims
  return Object.fromEntries(
    Object.entries(claims).map(([k, v]) => [k, redactSensitive(v, secrets)]),
  )
}
