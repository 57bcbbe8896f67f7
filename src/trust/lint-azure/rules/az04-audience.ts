import type { AzureLintRule, AzureRawFinding } from '../types.js'

const DEFAULT = 'api://AzureADTokenExchange'

/** AZ04: the audiences are not exactly the credential's audience. */
export const audienceMismatch: AzureLintRule = {
  id: 'AZ04',
  name: 'audience-mismatch',
  severity: 'error',
  title:
    "The audience is not the credential's (or not exactly one): keyless tokens carry the credential's.",
  check(ctx) {
    const out: AzureRawFinding[] = []
    const want = ctx.audience
    for (const fic of ctx.ours) {
      const list = Array.isArray(fic.audiences) ? (fic.audiences as unknown[]) : undefined
      const base = { statement: fic.label, key: 'audiences' }
      if (list?.length !== 1 || typeof list[0] !== 'string') {
        out.push({
          ...base,
          message: `${fic.label}: audiences ${JSON.stringify(fic.audiences ?? null)}: Entra requires exactly one audience.`,
          fix: `Set "audiences": [${JSON.stringify(want ?? 'azure:<organizationId>')}].`,
        })
        continue
      }
      const [aud] = list as [string]
      if (want === undefined || aud === want) continue
      const hint =
        aud === DEFAULT
          ? ` ${DEFAULT} is Entra's default, but keyless tokens carry the credential's own audience.`
          : aud.toLowerCase() === want.toLowerCase()
            ? ' They differ only in case; Entra compares exactly.'
            : ''
      out.push({
        ...base,
        message: `${fic.label}: audience ${JSON.stringify(aud)} is not the credential's ${JSON.stringify(want)}; every token is refused (AADSTS700212).${hint}`,
        fix: `Set "audiences": [${JSON.stringify(want)}], or the credential's audience to ${JSON.stringify(aud)} (PATCH /api/v1/credentials/{id}).`,
      })
    }
    return out
  },
}
