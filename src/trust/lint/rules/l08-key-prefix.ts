import { GENERIC_CLAIM_KEYS } from '../../../policy/index.js'
import { expectedProviders, pos, trustsOurProvider } from '../helpers.js'
import { samePrefix } from '../model.js'
import type { LintRule, RawFinding } from '../types.js'

function mismatch(prefix: string, expected: string): string {
  if (/^https?:\/\//iu.test(prefix))
    return `it includes the scheme; condition keys use the provider URL without "https://" ("${expected}")`
  if (samePrefix(prefix, `${expected}/`))
    return `it has a trailing slash the provider URL "${expected}" lacks`
  if (samePrefix(`${prefix}/`, expected))
    return `it lacks the trailing slash of the provider URL "${expected}" (the issuer ends with "/")`
  return `the statement trusts the provider "${expected}"`
}

/**
 * L08 condition-key prefix: a condition key's provider part must equal the provider URL exactly
 * (no scheme, same path, same trailing slash); a key for another provider is never present.
 * With `--issuer`, the Federated principal must name our provider too.
 */
export const keyPrefix: LintRule = {
  id: 'L08',
  name: 'condition-key-host-mismatch',
  severity: 'error',
  title: "A condition key's provider prefix (or the principal) does not match the provider URL.",
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of ctx.statements) {
      if (ctx.ourProvider !== undefined && view.oidcPrincipal && !trustsOurProvider(ctx, view)) {
        out.push({
          message: `${view.label}: the Federated principal names ${view.providers.map((p) => `"${p}"`).join(', ')}, not the issuer's provider "${ctx.ourProvider}"; STS would answer "No OpenIDConnect provider found" or never match this statement.`,
          statement: view.label,
          key: 'Principal.Federated',
          fix: `Use "Federated": "arn:aws:iam::<account>:oidc-provider/${ctx.ourProvider}".`,
          position: view.statement.principal?.position ?? view.position,
        })
        continue
      }
      if (!view.oidcPrincipal && !view.wildcardPrincipal) continue
      const expected = expectedProviders(ctx, view)
      const main = expected[0]
      if (main === undefined) continue
      for (const c of view.conditions) {
        if (c.providerPrefix === undefined) continue
        if (expected.some((p) => samePrefix(c.providerPrefix ?? '', p))) continue
        const dead =
          c.claim === 'sub' || c.claim === 'aud'
            ? ` so the role has no working ${c.claim} check`
            : ''
        out.push({
          message: `${view.label}: the key ${c.entry.key} does not match the provider: ${mismatch(c.providerPrefix, main)}. STS never sets this key${dead}.`,
          statement: view.label,
          key: c.entry.key,
          fix: `Rename the key to "${main}:${c.entry.key.slice(c.entry.key.lastIndexOf(':') + 1)}".`,
          position: pos(c),
        })
      }
      for (const c of view.conditions) {
        if (c.providerPrefix !== undefined || c.requestTag !== undefined) continue
        if (
          !c.entry.key.includes(':') &&
          (GENERIC_CLAIM_KEYS as readonly string[]).includes(c.keyLower)
        )
          out.push({
            message: `${view.label}: the key "${c.entry.key}" has no provider prefix; STS never sets it.`,
            statement: view.label,
            key: c.entry.key,
            fix: `Rename the key to "${main}:${c.entry.key}".`,
            position: pos(c),
          })
      }
    }
    return out
  },
}
