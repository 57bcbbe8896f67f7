/** The text `keyless explain` prints for AWS: the token, the role, each step, the trust policy, the answer. */
import { explainLines } from '../../../policy/index.js'
import type { Explanation } from './types.js'

function tokenLines(e: Omit<Explanation, 'lines'>): string[] {
  const c = e.token.claims
  const show = (k: string): string =>
    c[k] === undefined ? '(none)' : typeof c[k] === 'string' ? c[k] : JSON.stringify(c[k])
  const tags = e.token.sessionTags
  return [
    'Token (signature NOT checked: explain works offline on the claims)',
    `  iss ${show('iss')}`,
    `  aud ${show('aud')}`,
    `  sub ${show('sub')}`,
    tags.length > 0
      ? `  session tags ${tags.map((t) => `${t.key}=${t.value}`).join(', ')}`
      : '  session tags (none)',
  ]
}

function resultLine(e: Omit<Explanation, 'lines'>): string {
  return e.awsError === undefined
    ? `Result: allowed; STS returns credentials for ${e.assumedRoleArn ?? ''}`
    : `Result: denied; STS answers ${e.awsError.code} (HTTP ${e.awsError.httpStatus}): ${e.awsError.message}`
}

export function renderLines(e: Omit<Explanation, 'lines'>): string[] {
  return [
    ...tokenLines(e),
    `Role ${e.roleArn}, RoleSessionName ${e.roleSessionName}`,
    'Steps (in the order STS checks)',
    ...e.steps.map((s) => `  ${s.status.toUpperCase().padEnd(7)} ${s.step.padEnd(14)} ${s.detail}`),
    ...(e.trust === null ? [] : ['Trust policy', ...explainLines(e.trust).map((l) => `  ${l}`)]),
    ...e.token.warnings.map((w) => `Warning: ${w}`),
    resultLine(e),
  ]
}
