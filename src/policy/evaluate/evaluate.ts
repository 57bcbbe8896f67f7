/**
 * Policy evaluation: for each statement, do principal, action, resource and every condition match?
 * Then explicit Deny wins, else any Allow allows, else the request is implicitly denied. Every
 * decision carries its explanation and, for a denial, the conditions that decided it.
 */
import type {
  ConditionExplanation,
  Decision,
  EvaluationRequest,
  EvaluationResult,
  FailingCondition,
  Policy,
  StatementExplanation,
} from '../types.js'
import { globMatch, type Glob } from '../match/glob.js'
import { resolveTemplate } from '../match/variables.js'
import {
  compilePolicy,
  resourceMatcher,
  type CompiledResource,
  type CompiledStatement,
} from './compile.js'
import { evaluateCondition, type ConditionSeen } from './conditions.js'
import { contextOf, type RequestContext } from './context.js'
import { describeFailing, genericLabel, type KeyLabeler } from './describe.js'

/** Evaluates one request against policies: explicit Deny wins, then Allow, else implicit deny. */
export function evaluate(
  request: EvaluationRequest,
  policies: readonly Policy[],
): EvaluationResult {
  return evaluateWith(request, policies, contextOf(request.context), genericLabel)
}

// Requests repeat their action; remember the last one lower-cased (a pure, one-entry memo).
let lastAction = ''
let lastLower = ''
function lowerAction(action: string): string {
  if (action !== lastAction) {
    lastLower = action.toLowerCase()
    lastAction = action
  }
  return lastLower
}

interface Scored {
  readonly explanation: StatementExplanation
  readonly failed: number
}

/** `evaluate` with a prepared context and a labeler for messages (used by the web-identity door). */
export function evaluateWith(
  request: EvaluationRequest,
  policies: readonly Policy[],
  ctx: RequestContext,
  label: KeyLabeler,
): EvaluationResult {
  const action = lowerAction(request.action)
  const statements: StatementExplanation[] = []
  let denied: StatementExplanation | undefined
  let allowed = false
  let closest: Scored | undefined
  for (let pi = 0; pi < policies.length; pi++) {
    const compiled = compilePolicy(policies[pi] as Policy)
    for (const s of compiled.statements) {
      const e = explainStatement(pi, s, request, action, ctx)
      statements.push(e)
      if (s.effect === 'Deny' && e.applies) denied ??= e
      else if (s.effect === 'Allow') {
        if (e.applies) allowed = true
        else if (
          !allowed &&
          e.principalMatched !== false &&
          e.actionMatched &&
          e.resourceMatched !== false
        ) {
          let failed = 0
          for (const c of e.conditions) if (!c.matched) failed++
          if (closest === undefined || failed < closest.failed) closest = { explanation: e, failed }
        }
      }
    }
  }
  const decision: Decision =
    denied !== undefined ? 'ExplicitlyDenied' : allowed ? 'Allowed' : 'ImplicitlyDenied'
  let failing: FailingCondition[] = []
  if (denied !== undefined) failing = describeFailing(denied, 'deny', label)
  else if (!allowed && closest !== undefined)
    failing = describeFailing(closest.explanation, 'allow', label)
  return { decision, action: request.action, statements, failing }
}

/** Reused between conditions (evaluation is synchronous); emptied after each statement. */
const scratch: ConditionSeen = { requestValue: undefined, policyValues: [] }

function explainStatement(
  policyIndex: number,
  s: CompiledStatement,
  request: EvaluationRequest,
  action: string,
  ctx: RequestContext,
): StatementExplanation {
  const src = s.source
  let principalMatched: boolean | null = null
  if (request.principal !== undefined) {
    if (s.principal !== undefined) principalMatched = s.principal(request.principal)
    else if (s.notPrincipal !== undefined) principalMatched = !s.notPrincipal(request.principal)
  }
  let actionMatched = false
  if (s.actions !== undefined) actionMatched = anyGlob(s.actions, action)
  else if (s.notActions !== undefined) actionMatched = !anyGlob(s.notActions, action)
  let resourceMatched: boolean | null = null
  if (request.resource !== undefined) {
    if (s.resources !== undefined)
      resourceMatched = s.resources.some((r) => resourceMatches(r, request.resource as string, ctx))
    else if (s.notResources !== undefined)
      resourceMatched = !s.notResources.some((r) =>
        resourceMatches(r, request.resource as string, ctx),
      )
  }
  const conditions: ConditionExplanation[] = []
  let conditionsMatched = true
  const seen = scratch
  for (const c of s.conditions) {
    const matched = evaluateCondition(c, ctx, seen)
    if (!matched) conditionsMatched = false
    const rv = seen.requestValue
    const entry = c.entry
    conditions.push({
      operator: entry.operator,
      key: entry.key,
      requestValues: rv === undefined ? null : typeof rv === 'string' ? [rv] : rv,
      policyValues: seen.policyValues,
      matched,
      line: entry.position.line,
      column: entry.position.column,
    })
  }
  seen.requestValue = undefined
  const applies =
    s.effect !== undefined &&
    principalMatched !== false &&
    actionMatched &&
    resourceMatched !== false &&
    conditionsMatched
  return {
    policyIndex,
    statement: src.label,
    sid: src.sid,
    effect: src.effect,
    principalMatched,
    actionMatched,
    resourceMatched,
    conditionsMatched,
    applies,
    conditions,
    line: src.position.line,
    column: src.position.column,
  }
}

function anyGlob(globs: readonly Glob[], text: string): boolean {
  for (let i = 0; i < globs.length; i++) if (globMatch(globs[i] as Glob, text)) return true
  return false
}

function resourceMatches(r: CompiledResource, resource: string, ctx: RequestContext): boolean {
  if (r.matcher !== undefined) return r.matcher(resource)
  const pieces = resolveTemplate(r.template, (key) => {
    const v = ctx.get(key)
    return typeof v === 'string' ? v : undefined
  })
  return pieces !== undefined && resourceMatcher(pieces)(resource)
}
