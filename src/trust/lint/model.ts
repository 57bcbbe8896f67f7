/**
 * A trust policy as the lint rules read it: each statement with its principals, actions and
 * conditions classified (which provider a key belongs to, which claim, which operator family).
 */
import type { ConditionEntry, Policy, Position, Statement } from '../../policy/index.js'
import { isOidcProviderArn, providerUrlOfPrincipal } from '../provider.js'

export interface OperatorParts {
  readonly set: 'ForAllValues' | 'ForAnyValue' | undefined
  /** The operator without set prefix and IfExists suffix, e.g. `StringLike`. */
  readonly base: string
  readonly ifExists: boolean
  /** StringNotEquals, ArnNotLike, NotIpAddress, … */
  readonly negated: boolean
  readonly isNull: boolean
  /** StringLike, StringNotLike, ArnLike: `*` and `?` are wildcards. */
  readonly like: boolean
  /** String operators (case-sensitive or not). */
  readonly stringFamily: boolean
}

export interface ConditionView {
  readonly entry: ConditionEntry
  readonly op: OperatorParts
  /** Key lower-cased for comparison. */
  readonly keyLower: string
  /** For `<provider>:<claim>` keys: the provider part as written; undefined for aws:/sts: keys. */
  readonly providerPrefix: string | undefined
  /** For provider keys: the claim (`sub`, `aud`, …), lower-cased. */
  readonly claim: string | undefined
  /** For `aws:RequestTag/<tag>`: the tag key as written. */
  readonly requestTag: string | undefined
  /** Fails open: passes when the key is absent (ForAllValues, IfExists, negated, Null). */
  readonly failOpen: boolean
}

export interface StatementView {
  readonly statement: Statement
  readonly label: string
  readonly effect: string | undefined
  readonly federated: readonly string[]
  /** Provider URLs named by the Federated principal (from OIDC provider ARNs or built-ins). */
  readonly providers: readonly string[]
  readonly oidcPrincipal: boolean
  /** `"Principal": "*"` or `{"AWS": "*"}`. */
  readonly wildcardPrincipal: boolean
  readonly principalTypes: readonly string[]
  readonly actions: readonly string[]
  /** Action (or NotAction) lets sts:AssumeRoleWithWebIdentity through. */
  readonly allowsWebIdentity: boolean
  readonly allowsTagSession: boolean
  /** Action names sts:AssumeRole (or AssumeRoleWithSAML) literally. */
  readonly namesOtherAssume: readonly string[]
  readonly conditions: readonly ConditionView[]
  readonly position: Position
}

const NEGATED = /^(StringNot|NumericNot|DateNot|ArnNot|NotIpAddress)/u

export function operatorParts(operator: string): OperatorParts {
  let rest = operator
  let set: OperatorParts['set']
  const colon = rest.indexOf(':')
  if (colon >= 0) {
    const prefix = rest.slice(0, colon)
    if (prefix === 'ForAllValues' || prefix === 'ForAnyValue') set = prefix
    rest = rest.slice(colon + 1)
  }
  const ifExists = rest.endsWith('IfExists')
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest
  const negated = NEGATED.test(base)
  const isNull = base === 'Null'
  return {
    set,
    base,
    ifExists,
    negated,
    isNull,
    like: /Like$/u.test(base),
    stringFamily: base.startsWith('String'),
  }
}

/** Glob match of an IAM action pattern (case-insensitive, `*` and `?`). */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/u, '\\$&')))
      .join('')}$`,
    'iu',
  )
  return re.test(action)
}

function allows(statement: Statement, action: string): boolean {
  if (statement.action !== undefined)
    return statement.action.values.some((p) => actionMatches(p, action))
  if (statement.notAction !== undefined)
    return !statement.notAction.values.some((p) => actionMatches(p, action))
  return false
}

function conditionView(entry: ConditionEntry): ConditionView {
  const op = operatorParts(entry.operator)
  const keyLower = entry.key.toLowerCase()
  let providerPrefix: string | undefined
  let claim: string | undefined
  let requestTag: string | undefined
  const lastColon = entry.key.lastIndexOf(':')
  const service = lastColon >= 0 ? entry.key.slice(0, lastColon).toLowerCase() : ''
  if (keyLower.startsWith('aws:requesttag/')) requestTag = entry.key.slice('aws:RequestTag/'.length)
  else if (lastColon > 0 && service !== 'aws' && service !== 'sts') {
    providerPrefix = entry.key.slice(0, lastColon)
    claim = entry.key.slice(lastColon + 1).toLowerCase()
  }
  const failOpen = op.set === 'ForAllValues' || op.ifExists || op.negated || op.isNull
  return { entry, op, keyLower, providerPrefix, claim, requestTag, failOpen }
}

export function statementViews(policy: Policy): StatementView[] {
  return policy.statements.map((statement) => {
    const federated: string[] = []
    const principalTypes: string[] = []
    let wildcardPrincipal = false
    const p = statement.principal
    if (p?.kind === 'wildcard') wildcardPrincipal = true
    else if (p?.kind === 'map')
      for (const e of p.entries) {
        principalTypes.push(e.type)
        if (e.type === 'Federated') federated.push(...e.values)
        if (e.type === 'AWS' && e.values.includes('*')) wildcardPrincipal = true
      }
    const providers = federated.flatMap((f) => {
      const url = providerUrlOfPrincipal(f)
      return url === undefined ? [] : [url]
    })
    const actions = statement.action?.values ?? []
    const namesOtherAssume = actions.filter((a) =>
      ['sts:assumerole', 'sts:assumerolewithsaml'].includes(a.toLowerCase()),
    )
    return {
      statement,
      label: statement.label,
      effect: statement.effect,
      federated,
      providers,
      oidcPrincipal: federated.some(isOidcProviderArn),
      wildcardPrincipal,
      principalTypes,
      actions,
      allowsWebIdentity: allows(statement, 'sts:AssumeRoleWithWebIdentity'),
      allowsTagSession: allows(statement, 'sts:TagSession'),
      namesOtherAssume,
      conditions: statement.conditions.map(conditionView),
      position: statement.position,
    }
  })
}

/** True when `prefix` (a condition-key provider part) names `provider`, as IAM compares keys. */
export function samePrefix(prefix: string, provider: string): boolean {
  return prefix.toLowerCase() === provider.toLowerCase()
}
