/**
 * Evaluates one compiled condition (one operator + one key) against the request context. This is
 * the one place that knows `Null`, `…IfExists`, `ForAllValues:`/`ForAnyValue:`, missing and empty
 * keys, negation across several policy values, single- vs multi-valued keys and policy variables.
 */
import type { ConditionOperator } from '../conditions/operator.js'
import { piecesText, resolveTemplate } from '../match/variables.js'
import type { CompiledCondition } from './compile.js'
import type { NormalizedValue, RequestContext } from './context.js'

/** What the evaluation saw, besides the boolean: filled by `evaluateCondition` for explanations. */
export interface ConditionSeen {
  requestValue: NormalizedValue | undefined
  /** Policy values after substitution. */
  policyValues: readonly string[]
}

/** Is the condition met? `seen` receives the request value and the substituted policy values. */
export function evaluateCondition(
  c: CompiledCondition,
  ctx: RequestContext,
  seen: ConditionSeen,
): boolean {
  const requestValue = ctx.get(c.key, c.entry.key)
  const name = c.name
  if (name.isNull) {
    const present = requestValue !== undefined
    seen.requestValue = requestValue
    seen.policyValues = c.entry.values
    return name.known && (present ? c.nullWants.present : c.nullWants.absent)
  }
  const op = name.operator
  seen.requestValue = requestValue
  seen.policyValues = c.entry.values
  if (op === undefined) return false

  // Policy values: prepared once at compile time unless they hold variables.
  let prepared: readonly unknown[] = c.prepared
  let allValid = c.allValid
  if (c.hasVariables) {
    allValid = true
    const resolved: unknown[] = []
    prepared = resolved
    const texts: string[] = []
    const lookup = (key: string): string | undefined => {
      const v = ctx.get(key)
      return typeof v === 'string' ? v : undefined
    }
    for (const v of c.values) {
      if (!v.template.hasVariables) {
        resolved.push(v.prepared)
        texts.push(v.template.raw)
        if (v.invalid) allValid = false
        continue
      }
      const pieces = resolveTemplate(v.template, lookup)
      const p = pieces === undefined ? undefined : op.prepare(pieces)
      if (p === undefined) allValid = false
      resolved.push(p)
      texts.push(pieces === undefined ? v.template.raw : piecesText(pieces))
    }
    seen.policyValues = texts
  }

  if (requestValue === undefined) {
    return name.ifExists || name.set === 'ForAllValues'
      ? true
      : name.set === 'ForAnyValue'
        ? false
        : op.isNegative
  }
  let matched: boolean
  if (name.set === undefined) {
    // A single-valued operator on a multi-valued key never matches (AWS requires a set operator).
    matched = typeof requestValue === 'string' && valueMatches(op, requestValue, prepared, allValid)
  } else {
    const values = typeof requestValue === 'string' ? [requestValue] : requestValue
    matched =
      name.set === 'ForAllValues'
        ? values.every((v) => valueMatches(op, v, prepared, allValid))
        : values.some((v) => valueMatches(op, v, prepared, allValid))
  }
  return matched
}

/** One request value against all policy values: any for positive operators, none for negated ones. */
function valueMatches(
  op: ConditionOperator,
  value: string,
  prepared: readonly unknown[],
  allValid: boolean,
): boolean {
  let any = false
  for (const p of prepared) {
    if (p !== undefined && op.test(value, p)) {
      any = true
      break
    }
  }
  // A negated operator is false when a policy value could not be read or resolved.
  return op.isNegative ? allValid && !any : any
}
