/**
 * Whether a FIC's subject is one a keyless token can carry: under the organization's own prefix
 * and of the shape of the credential's subject template (ids are lower case, deployment types and
 * run phases one of theirs) — exactly, or only when case is ignored (Entra compares case-
 * sensitively: AADSTS7002138).
 */
import { DEPLOYMENT_TYPES, RUN_PHASES } from '../../shared/contracts/common.js'

export type SubjectVerdict = 'ok' | 'case' | 'foreign-organization' | 'shape'

const ID = '[a-z0-9][a-z0-9_-]*'
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')

function pattern(template: string, organizationId: string | undefined): string {
  const values: Record<string, string> = {
    organizationId: organizationId === undefined ? ID : escape(organizationId),
    deploymentType: `(?:${DEPLOYMENT_TYPES.join('|')})`,
    runPhase: `(?:${RUN_PHASES.join('|')})`,
  }
  return template
    .split(/(\{[^{}]*\})/u)
    .map((part) => {
      const name = /^\{([^{}]*)\}$/u.exec(part)?.[1]
      return name === undefined ? escape(part) : (values[name] ?? ID)
    })
    .join('')
}

export function subjectVerdict(
  subject: string,
  template: string,
  organizationId: string | undefined,
): SubjectVerdict {
  if (organizationId !== undefined) {
    const prefix = `org:${organizationId}`
    const head = subject.slice(0, prefix.length)
    const next = subject.charAt(prefix.length)
    const bounded = next === '' || next === ':'
    if (head !== prefix || !bounded)
      return head.toLowerCase() === prefix.toLowerCase() && bounded
        ? 'case'
        : 'foreign-organization'
  }
  const source = `^${pattern(template, organizationId)}$`
  if (new RegExp(source, 'u').test(subject)) return 'ok'
  return new RegExp(source, 'iu').test(subject) ? 'case' : 'shape'
}
