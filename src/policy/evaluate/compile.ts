/**
 * A policy compiled once for evaluation: lower-cased action patterns and condition keys, prebuilt
 * wildcard matchers, parsed operator names and prepared static policy values. Compiled forms are
 * cached per `Policy` object, so evaluating the same policy again costs no compilation.
 */
import { compileArnPattern, arnMatches, type ArnPattern } from '../conditions/arn/arn-pattern.js'
import { parseOperatorName, type OperatorName } from '../conditions/index.js'
import { compileGlob, compilePieces, globMatch, type Glob } from '../match/glob.js'
import { parseTemplate, resolveTemplate, type Template } from '../match/variables.js'
import type {
  ConditionEntry,
  Policy,
  PrincipalSpec,
  RequestPrincipal,
  Statement,
  StringListElement,
} from '../types.js'

export interface CompiledValue {
  readonly template: Template
  /** Prepared policy value when the template has no variables; `invalid` when it can never match. */
  readonly prepared: unknown
  readonly invalid: boolean
}

export interface CompiledCondition {
  readonly entry: ConditionEntry
  readonly name: OperatorName
  readonly key: string
  readonly values: readonly CompiledValue[]
  /** The prepared values when none holds a variable (undefined entries never match). */
  readonly prepared: readonly unknown[]
  /** Every static value could be prepared (a negated operator needs all of them). */
  readonly allValid: boolean
  readonly hasVariables: boolean
  /** Null: which of `true`/`false` were asked for. */
  readonly nullWants: { readonly absent: boolean; readonly present: boolean }
}

export type PrincipalMatcher = (principal: RequestPrincipal) => boolean

export interface CompiledResource {
  readonly template: Template
  readonly matcher: ((resource: string) => boolean) | undefined
}

export interface CompiledStatement {
  readonly source: Statement
  readonly effect: 'Allow' | 'Deny' | undefined
  readonly principal: PrincipalMatcher | undefined
  readonly notPrincipal: PrincipalMatcher | undefined
  readonly actions: readonly Glob[] | undefined
  readonly notActions: readonly Glob[] | undefined
  readonly resources: readonly CompiledResource[] | undefined
  readonly notResources: readonly CompiledResource[] | undefined
  readonly conditions: readonly CompiledCondition[]
}

export interface CompiledPolicy {
  readonly policy: Policy
  readonly variables: boolean
  readonly statements: readonly CompiledStatement[]
}

const cache = new WeakMap<Policy, CompiledPolicy>()

/** Compiles a parsed policy for evaluation (cached per policy object). */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const hit = cache.get(policy)
  if (hit !== undefined) return hit
  const variables = policy.version === '2012-10-17'
  const compiled: CompiledPolicy = {
    policy,
    variables,
    statements: policy.statements.map((s) => compileStatement(s, variables)),
  }
  cache.set(policy, compiled)
  return compiled
}

function compileStatement(s: Statement, variables: boolean): CompiledStatement {
  return {
    source: s,
    effect: s.effect === 'Allow' || s.effect === 'Deny' ? s.effect : undefined,
    principal: s.principal === undefined ? undefined : compilePrincipal(s.principal),
    notPrincipal: s.notPrincipal === undefined ? undefined : compilePrincipal(s.notPrincipal),
    actions: compileActions(s.action),
    notActions: compileActions(s.notAction),
    resources: compileResources(s.resource, variables),
    notResources: compileResources(s.notResource, variables),
    conditions: s.conditions.map((c) => compileCondition(c, variables)),
  }
}

function compileActions(list: StringListElement | undefined): Glob[] | undefined {
  return list?.values.map((a) => compileGlob(a.toLowerCase()))
}

function compileResources(
  list: StringListElement | undefined,
  variables: boolean,
): CompiledResource[] | undefined {
  return list?.values.map((r) => {
    const template = parseTemplate(r, variables)
    return {
      template,
      matcher: template.hasVariables ? undefined : resourceMatcher(staticPieces(template)),
    }
  })
}

/** Resource patterns that are ARNs match part by part; anything else matches as one glob. */
export function resourceMatcher(
  pieces: readonly { text: string; wild: boolean }[],
): (resource: string) => boolean {
  const arn: ArnPattern | undefined = compileArnPattern(pieces)
  const whole = compilePieces(pieces)
  if (whole.kind === 'any') return () => true
  if (arn === undefined) return (resource) => globMatch(whole, resource)
  return (resource) => arnMatches(arn, resource)
}

const ACCOUNT = /^\d{12}$/u
const ROOT = /^arn:[^:]+:iam::(\d{12}):root$/u

function compilePrincipal(spec: PrincipalSpec): PrincipalMatcher {
  if (spec.kind === 'wildcard') return () => true
  // Identifiers by principal type, and accounts for `"AWS": "<account>"` / `…:root`.
  const ids = new Map<string, Set<string>>()
  const accounts = new Set<string>()
  for (const entry of spec.entries) {
    const type = entry.type
    if (type !== 'AWS' && type !== 'Federated' && type !== 'Service' && type !== 'CanonicalUser')
      continue
    let set = ids.get(type)
    if (set === undefined) ids.set(type, (set = new Set()))
    for (const value of entry.values) {
      if (type === 'AWS') {
        if (value === '*') return () => true
        const account = ACCOUNT.test(value) ? value : ROOT.exec(value)?.[1]
        if (account !== undefined) accounts.add(account)
      }
      set.add(value)
    }
  }
  if (accounts.size === 0 && ids.size === 1) {
    const [type, set] = [...ids][0] as [string, Set<string>]
    if (set.size === 1) {
      const only = [...set][0] as string
      return (p) => p.id === only && p.type === type
    }
    return (p) => p.type === type && set.has(p.id)
  }
  return (p) =>
    ids.get(p.type)?.has(p.id) === true ||
    (p.type === 'AWS' && p.accountId !== undefined && accounts.has(p.accountId))
}

function compileCondition(entry: ConditionEntry, variables: boolean): CompiledCondition {
  const name = parseOperatorName(entry.operator)
  const op = name.operator
  const useVariables = variables && op !== undefined && op.allowsVariables
  const values = entry.values.map((raw): CompiledValue => {
    const template = parseTemplate(raw, useVariables)
    if (op === undefined || template.hasVariables)
      return { template, prepared: undefined, invalid: op === undefined }
    const prepared = op.prepare(staticPieces(template))
    return { template, prepared, invalid: prepared === undefined }
  })
  const lower = entry.values.map((v) => v.toLowerCase())
  return {
    entry,
    name,
    key: entry.key.toLowerCase(),
    values,
    prepared: values.map((v) => v.prepared),
    allValid: values.every((v) => !v.invalid),
    hasVariables: values.some((v) => v.template.hasVariables),
    nullWants: { absent: lower.includes('true'), present: lower.includes('false') },
  }
}

const noVariables = (): undefined => undefined

/** The pieces of a template without variables (escapes become literal characters). */
function staticPieces(template: Template): { text: string; wild: boolean }[] {
  return resolveTemplate(template, noVariables) ?? [{ text: template.raw, wild: true }]
}
