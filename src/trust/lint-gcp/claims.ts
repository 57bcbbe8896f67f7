/**
 * Which token claims a CEL expression reads: `assertion.<claim>` (and `assertion['<claim>']`)
 * directly, and through `attribute.<name>` the claims the mapping of that attribute reads.
 * Claims a deployer chooses (`userTag`, `deployerEmail`) pin nothing.
 */

export const USER_CONTROLLED_CLAIMS: readonly string[] = ['userTag', 'deployerEmail']

const ASSERTION = /\bassertion(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([^'"]+)['"]\s*\])/gu
const ATTRIBUTE = /\battribute\.([A-Za-z_][A-Za-z0-9_]*)/gu

function assertionClaims(expression: string): string[] {
  return [...expression.matchAll(ASSERTION)].map((m) => m[1] ?? m[2] ?? '')
}

/** The claims an expression reads, through the mapping's attributes too. */
export function claimsRead(
  expression: string,
  mapping: Readonly<Record<string, unknown>>,
): string[] {
  const out = new Set(assertionClaims(expression))
  for (const m of expression.matchAll(ATTRIBUTE)) {
    const source = mapping[`attribute.${m[1] ?? ''}`]
    if (typeof source === 'string') for (const c of assertionClaims(source)) out.add(c)
  }
  if (/\bgoogle\.subject\b/u.test(expression)) {
    const source = mapping['google.subject']
    if (typeof source === 'string') for (const c of assertionClaims(source)) out.add(c)
  }
  return [...out]
}

export const onlyUserControlled = (claims: readonly string[]): boolean =>
  claims.length > 0 && claims.every((c) => USER_CONTROLLED_CLAIMS.includes(c))
