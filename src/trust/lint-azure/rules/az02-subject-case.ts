import { subjectVerdict } from '../subject-shape.js'
import type { AzureLintRule, AzureRawFinding } from '../types.js'

/** AZ02: the subject matches what tokens carry only when case is ignored. */
export const subjectCase: AzureLintRule = {
  id: 'AZ02',
  name: 'subject-case',
  severity: 'error',
  title:
    'The subject differs only in case from what keyless tokens carry: Entra compares case-sensitively.',
  check(ctx) {
    const out: AzureRawFinding[] = []
    for (const fic of ctx.ours) {
      if (typeof fic.subject !== 'string') continue
      if (subjectVerdict(fic.subject, ctx.subjectTemplate, ctx.options.organizationId) !== 'case')
        continue
      out.push({
        message: `${fic.label}: subject ${JSON.stringify(fic.subject)} matches the template ${ctx.subjectTemplate} only when case is ignored; keyless ids, deployment types and run phases are lower case, and Entra compares sub case-sensitively (AADSTS7002138).`,
        statement: fic.label,
        key: 'subject',
        fix: 'Copy the subject from the environment’s token (GET /api/v1/environments/{id}/oidc-preview?cloud=azure) or let keyless setup azure write it.',
      })
    }
    return out
  },
}
