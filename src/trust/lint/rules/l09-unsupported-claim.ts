import { providerKeysOf } from '../../../policy/index.js'
import { SESSION_TAG_KEYS } from '../../../shared/token-context.js'
import { expectedProviders, pos } from '../helpers.js'
import { samePrefix } from '../model.js'
import type { LintRule, RawFinding } from '../types.js'

/**
 * L09 unsupported-claim-key: for a generic OIDC provider STS evaluates only aud, sub, amr (and
 * azp); a condition on any other claim is never present, so a positive one never matches.
 */
export const unsupportedClaim: LintRule = {
  id: 'L09',
  name: 'unsupported-claim-key',
  severity: 'error',
  title: 'A condition on a token claim STS does not put into the trust-policy context.',
  check(ctx) {
    const out: RawFinding[] = []
    for (const view of ctx.statements) {
      const expected = expectedProviders(ctx, view)
      for (const c of view.conditions) {
        if (c.claim === undefined || c.providerPrefix === undefined) continue
        const provider = expected.find((p) => samePrefix(c.providerPrefix ?? '', p))
        if (provider === undefined) continue
        if (providerKeysOf(provider.toLowerCase()).includes(c.claim)) continue
        const tag = SESSION_TAG_KEYS.find((t) => t.toLowerCase() === c.claim)
        out.push({
          message: `${view.label}: ${c.entry.key} is not a key STS sets for a generic OIDC provider (only aud, sub, amr and azp are); ${c.failOpen ? 'the condition always passes' : 'the condition never matches, so every request is denied'}.`,
          statement: view.label,
          key: c.entry.key,
          fix:
            tag !== undefined
              ? `Use the session tag instead: "aws:RequestTag/${tag}" (keyless sends it in the https://aws.amazon.com/tags claim).`
              : `Pin the value through ${provider}:sub, or through a session tag (aws:RequestTag/<key>).`,
          position: pos(c),
        })
      }
    }
    return out
  },
}
