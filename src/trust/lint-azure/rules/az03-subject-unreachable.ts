import { subjectVerdict } from '../subject-shape.js'
import type { AzureLintRule, AzureRawFinding, FicView } from '../types.js'

function why(fic: FicView, verdict: string, template: string, org: string | undefined): string {
  const s = String(fic.subject)
  if (verdict === 'foreign-organization')
    return `it is not under org:${org ?? ''}: (only this organization's tokens are admitted, and they all start so)`
  const space = s.trim() !== s ? ' (it has whitespace around it)' : ''
  return `it is not of the shape of the subject template ${template}${space}`
}

const USE_PREVIEW =
  'Use the subject an environment’s token carries (GET /api/v1/environments/{id}/oidc-preview?cloud=azure), or give the credential the subject template this was written for (--subject-template).'

/** A subject under another organization is often a mistyped --organization: say which it names. */
function fixFor(subject: string, verdict: string): string {
  const named = /^org:([^:]+):/u.exec(subject)?.[1]
  if (verdict !== 'foreign-organization' || named === undefined) return USE_PREVIEW
  return `If ${named} is your organization, lint with --organization ${named}. Otherwise, u${USE_PREVIEW.slice(1)}`
}

/** AZ03: no keyless token of the organization can carry this subject. */
export const subjectUnreachable: AzureLintRule = {
  id: 'AZ03',
  name: 'subject-unreachable',
  severity: 'error',
  title:
    'No keyless token can carry the subject (another organization, or not the shape of the subject template).',
  check(ctx) {
    const out: AzureRawFinding[] = []
    for (const fic of ctx.ours) {
      if (fic.subject === null || fic.subject === undefined) {
        out.push({
          message: `${fic.label}: no subject; Entra requires one for a federated credential of a self-hosted issuer (flexible credentials are for GitHub, GitLab and Terraform Cloud only).`,
          statement: fic.label,
          key: 'subject',
          fix: 'Set the subject of the environment (keyless setup azure writes it).',
        })
        continue
      }
      const subject = typeof fic.subject === 'string' ? fic.subject : JSON.stringify(fic.subject)
      const verdict = subjectVerdict(subject, ctx.subjectTemplate, ctx.options.organizationId)
      if (verdict === 'ok' || verdict === 'case') continue
      out.push({
        message: `${fic.label}: no keyless token carries subject ${JSON.stringify(subject)}: ${why(fic, verdict, ctx.subjectTemplate, ctx.options.organizationId)}. Entra matches sub exactly (no wildcards), so the credential admits nothing (AADSTS700213).`,
        statement: fic.label,
        key: 'subject',
        fix: fixFor(subject, verdict),
      })
    }
    return out
  },
}
