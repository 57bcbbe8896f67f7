/** Helpers shared by the lint rules. */
import type { Position } from '../../policy/index.js'
import { analyzeSubjectPattern, type SubjectPatternAnalysis } from '../subject-pattern.js'
import { samePrefix, type ConditionView, type StatementView } from './model.js'
import type { LintContext } from './types.js'

/** The provider URLs a statement's condition keys should be prefixed with. */
export function expectedProviders(ctx: LintContext, view: StatementView): string[] {
  if (ctx.ourProvider !== undefined) return [ctx.ourProvider]
  return [...view.providers]
}

/** True when the statement trusts our provider (or, without `--issuer`, any OIDC provider). */
export function trustsOurProvider(ctx: LintContext, view: StatementView): boolean {
  if (view.wildcardPrincipal) return true
  if (ctx.ourProvider !== undefined)
    return view.providers.some((p) => samePrefix(p, ctx.ourProvider ?? ''))
  return view.oidcPrincipal
}

/** Allow statements that let a web identity of our provider assume the role. */
export function webIdentityAllows(ctx: LintContext): StatementView[] {
  return ctx.statements.filter(
    (v) => v.effect === 'Allow' && v.allowsWebIdentity && trustsOurProvider(ctx, v),
  )
}

/** Conditions on `<prefix>:<claim>`, split by whether the prefix is the statement's provider. */
function conditionsOnClaim(
  ctx: LintContext,
  view: StatementView,
  claim: string,
  ours: boolean,
): ConditionView[] {
  const providers = expectedProviders(ctx, view)
  return view.conditions.filter(
    (c) =>
      c.claim === claim &&
      c.providerPrefix !== undefined &&
      providers.some((p) => samePrefix(c.providerPrefix ?? '', p)) === ours,
  )
}

/** Conditions on `<our provider>:<claim>`. */
export function claimConditions(
  ctx: LintContext,
  view: StatementView,
  claim: string,
): ConditionView[] {
  return conditionsOnClaim(ctx, view, claim, true)
}

/** Conditions that name `:<claim>` under a prefix that is not the statement's provider. */
export function misprefixedClaimConditions(
  ctx: LintContext,
  view: StatementView,
  claim: string,
): ConditionView[] {
  return conditionsOnClaim(ctx, view, claim, false)
}

/** A positive pin: a String operator that must match for the request to pass. */
export function isPositivePin(c: ConditionView): boolean {
  return c.op.stringFamily && !c.failOpen
}

export interface SubValue {
  readonly condition: ConditionView
  readonly value: string
  readonly analysis: SubjectPatternAnalysis
}

/** Every value of every positive `:sub` condition of the statement, analyzed. */
export function subValues(ctx: LintContext, view: StatementView): SubValue[] {
  return claimConditions(ctx, view, 'sub')
    .filter(isPositivePin)
    .flatMap((condition) =>
      condition.entry.values.map((value) => ({
        condition,
        value,
        analysis: analyzeSubjectPattern(value, condition.op.like, ctx.subjectTemplate),
      })),
    )
}

export const USER_CONTROLLED_TAGS = ['usertag', 'env0tag'] as const

/** Session-tag keys whose positive pin narrows the scope, with the scope they pin. */
export const SCOPE_TAGS: Readonly<
  Record<string, 'organization' | 'project' | 'environment' | 'template'>
> = {
  organizationid: 'organization',
  projectid: 'project',
  environmentid: 'environment',
  templateid: 'template',
}

export function pos(c: ConditionView): Position {
  return { line: c.entry.position.line, column: c.entry.position.column }
}

export const hasWildcard = (v: string): boolean => /[*?]/u.test(v.replace(/\$\{[*?$]\}/gu, ''))

/** Quotes a value for a message. */
export const q = (v: string): string => JSON.stringify(v)
