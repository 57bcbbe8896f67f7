/**
 * Evaluates one compiled condition (one operator + one key) against the request context. This is
 * the one place that knows `Null`, `…IfExists`, `ForAllValues:`/`ForAnyValue:`, missing and empty
 * keys, negation across several policy values, single- vs multi-valued keys and policy variables.
 */
import type { ConditionOperator } from '../conditions/operator.js'
import { piecesText, resolveTemplate } from '../match/variables.js'
import type { CompiledCondition } from './compile.js'
import type { NormalizedValue, RequestContext } from './context.js'

export interface ConditionOutcome {
  readonly matched: boolean
  readonly requestValue: NormalizedValue | undefined
  /** Policy values after substitution, for explanations. */
  readonly policyValues: readonly string[]
}

export function evaluateCondition(c: CompiledCondition, ctx: RequestContext): ConditionOutcome {
  const requestValue = ctx.get(c.key)
  const name = c.name
  if (name.isNull) {
    const present = requestValue !== undefined
    return {
      matched: name.known && (present ? c.nullWants.present : c.nullWants.absent),
      requestValue,
      policyValues: c.entry.values,
    }
  }
  const op = name.operator
  if (op === undefined) return { matched: false, requestValue, policyValues: c.entry.values }

  // Policy values: prepared once at compile time unless they hold variables.
  let prepared: unknown[]
  let policyValues: readonly string[] = c.entry.values
  let allValid = true
  if (!c.hasVariables) {
    prepared = c.values.map((v) => v.prepared)
    for (const v of c.values) if (v.invalid) allValid = false
  } else {
    prepared = []
    const texts: string[] = []
    const lookup = (key: string): string | undefined => {
      const v = ctx.get(key)
      return typeof v === 'string' ? v : undefined
    }
    for (const v of c.values) {
      if (!v.template.hasVariables) {
        prepared.push(v.prepared)
        texts.push(v.template.raw)
        if (v.invalid) allValid = false
        continue
      }
      const pieces = resolveTemplate(v.template, lookup)
      const p = pieces === undefined ? undefined : op.prepare(pieces)
      if (p === undefined) allValid = false
      prepared.push(p)
      texts.push(pieces === undefined ? v.template.raw : piecesText(pieces))
    }
    policyValues = texts
  }

  if (requestValue === undefined) {
    const matched =
      name.ifExists || name.set === 'ForAllValues'
        ? true
        : name.set === 'ForAnyValue'
          ? false
          : op.isNegative
    return { matched, requestValue, policyValues }
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
  return { matched, requestValue, policyValues }
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
