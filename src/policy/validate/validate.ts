/**
 * Policy validation as IAM does it on CreateRole / UpdateAssumeRolePolicy (trust policies) and
 * PutRolePolicy / STS session policies (identity policies). Answers are data with AWS's texts,
 * ready for the emulator's wire errors; the first problem found is the one reported.
 */
import { parseOperatorName } from '../conditions/index.js'
import { compileGlob, globMatch } from '../match/glob.js'
import { parsePolicy } from '../parse/parse.js'
import type { Policy, PolicyValidation, PrincipalSpec, Statement } from '../types.js'
import { messages, TRUST_ACTIONS, TRUST_POLICY_QUOTA } from './messages.js'

type Kind = 'trust' | 'identity'

const malformed = (message: string): PolicyValidation => ({
  ok: false,
  code: 'MalformedPolicyDocument',
  message,
})

/** Characters that count toward IAM's policy size quotas (whitespace does not). */
export function countedSize(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) n++
  }
  return n
}

/** What IAM answers on CreateRole / UpdateAssumeRolePolicy for this trust policy text. */
export function validateTrustPolicy(
  text: string,
  quota: number = TRUST_POLICY_QUOTA,
): PolicyValidation {
  if (typeof text === 'string' && countedSize(text) > quota)
    return { ok: false, code: 'LimitExceeded', message: messages.trustPolicyTooLarge(quota) }
  return validate(text, 'trust')
}

/** What IAM answers on PutRolePolicy (and STS for a session policy) for this policy text. */
export function validateIdentityPolicy(text: string): PolicyValidation {
  return validate(text, 'identity')
}

function validate(text: string, kind: Kind): PolicyValidation {
  const parsed = parsePolicy(text)
  if (!parsed.ok) return malformed(messages.invalidJson)
  const policy = parsed.policy
  const problem = policyProblem(policy, kind)
  return problem === undefined ? { ok: true, policy } : malformed(problem)
}

function policyProblem(policy: Policy, kind: Kind): string | undefined {
  if (policy.problems.length > 0 || policy.unknownKeys.length > 0) return messages.syntaxErrors
  if (
    policy.version !== undefined &&
    policy.version !== '2012-10-17' &&
    policy.version !== '2008-10-17'
  )
    return messages.legacyParsing
  if (policy.statements.length === 0) return messages.syntaxErrors
  const sids = new Set<string>()
  for (const s of policy.statements) {
    if (s.sid !== undefined && s.sid !== '') {
      if (sids.has(s.sid)) return messages.duplicateSid
      sids.add(s.sid)
      if (kind === 'identity' && !/^[0-9A-Za-z]*$/u.test(s.sid)) return messages.sidCharset
    }
    const p = statementProblem(s, kind)
    if (p !== undefined) return p
  }
  return undefined
}

function statementProblem(s: Statement, kind: Kind): string | undefined {
  if (s.unknownKeys.length > 0) return messages.syntaxErrors
  if (s.effect === undefined) return messages.missingEffect
  if (s.effect !== 'Allow' && s.effect !== 'Deny') return messages.syntaxErrors
  if (s.action !== undefined && s.notAction !== undefined) return messages.syntaxErrors
  if (s.resource !== undefined && s.notResource !== undefined) return messages.syntaxErrors
  if (s.principal !== undefined && s.notPrincipal !== undefined) return messages.syntaxErrors
  if (kind === 'trust') {
    if (s.notPrincipal !== undefined) return messages.prohibitedField('NotPrincipal')
    if (s.resource !== undefined) return messages.prohibitedField('Resource')
    if (s.notResource !== undefined) return messages.prohibitedField('NotResource')
    if (s.principal === undefined) return messages.missingPrincipal
    const p = principalProblem(s.principal)
    if (p !== undefined) return p
  } else {
    if (s.principal !== undefined || s.notPrincipal !== undefined)
      return messages.principalInIdentity
  }
  const actions = s.action ?? s.notAction
  if (actions === undefined || actions.values.length === 0) return messages.missingActions
  for (const a of actions.values) {
    const p = actionProblem(a)
    if (p !== undefined) return p
  }
  if (kind === 'trust' && s.action !== undefined) {
    for (const a of s.action.values) {
      const glob = compileGlob(a.toLowerCase())
      if (!TRUST_ACTIONS.some((t) => globMatch(glob, t))) return messages.trustActions
    }
  }
  if (kind === 'identity' && (s.resource ?? s.notResource) === undefined)
    return messages.missingResources
  for (const c of s.conditions) {
    const name = parseOperatorName(c.operator)
    if (!name.known) return messages.invalidConditionType(c.operator)
    if (c.values.length === 0 && !c.invalidValue) return messages.syntaxErrors
    if (!c.key.includes(':')) return messages.conditionKeyVendor(c.key)
  }
  return undefined
}

const VENDOR = /^[a-zA-Z0-9*?-]+$/u

function actionProblem(action: string): string | undefined {
  if (action === '*') return undefined
  const colon = action.indexOf(':')
  if (colon < 0) return messages.vendorPrefix
  if (action.indexOf(':', colon + 1) >= 0) return messages.oneColon
  const vendor = action.slice(0, colon)
  if (!VENDOR.test(vendor)) return messages.invalidVendor(vendor)
  return undefined
}

const ACCOUNT = /^\d{12}$/u
const IAM_ARN =
  /^arn:aws(?:-cn|-us-gov)?:(?:iam|sts)::\d{12}:(?:root|user\/.+|role\/.+|assumed-role\/.+|federated-user\/.+)$/u
const FEDERATED_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:(?:oidc-provider|saml-provider)\/.+$/u
const HOST = /^[A-Za-z0-9.-]+(?::\d+)?(?:\/\S*)?$/u

function principalProblem(spec: PrincipalSpec): string | undefined {
  if (spec.kind === 'wildcard') return undefined
  if (spec.entries.length === 0) return messages.syntaxErrors
  for (const entry of spec.entries) {
    for (const v of entry.values) {
      const ok =
        entry.type === 'AWS'
          ? v === '*' || ACCOUNT.test(v) || IAM_ARN.test(v)
          : entry.type === 'Federated'
            ? FEDERATED_ARN.test(v) || HOST.test(v)
            : entry.type === 'Service'
              ? v === '*' || /^[a-z0-9.-]+$/u.test(v)
              : entry.type === 'CanonicalUser'
                ? /^[0-9a-f]{64}$/u.test(v)
                : false
      if (!ok) return messages.invalidPrincipal(entry.type, v)
    }
  }
  return undefined
}
