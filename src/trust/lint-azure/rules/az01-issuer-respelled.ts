import { issuerDifference } from '../issuer.js'
import type { AzureLintRule, AzureRawFinding } from '../types.js'

/** AZ01: the issuer is keyless's spelled differently (trailing slash, scheme, case, whitespace). */
export const issuerRespelled: AzureLintRule = {
  id: 'AZ01',
  name: 'issuer-respelled',
  severity: 'error',
  title:
    "The issuer is keyless's spelled differently: Entra compares it exactly, so no token matches.",
  check(ctx) {
    const ours = ctx.options.issuer
    if (ours === undefined) return []
    const out: AzureRawFinding[] = []
    for (const fic of ctx.ours) {
      if (typeof fic.issuer !== 'string') continue
      const d = issuerDifference(fic.issuer, ours)
      if (!d.respelled) continue
      out.push({
        message: `${fic.label}: issuer ${JSON.stringify(fic.issuer)} is not keyless's ${JSON.stringify(ours)}: ${d.reasons.join(', ')}. Entra compares the issuer with the token's iss exactly; every token is refused (AADSTS700211).`,
        statement: fic.label,
        key: 'issuer',
        fix: `Set "issuer": ${JSON.stringify(ours)} (GET /api/v1/organizations/{id}/oidc), character for character.`,
      })
    }
    return out
  },
}
