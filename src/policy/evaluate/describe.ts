/** Failing conditions in words a person can act on. */
import { parseOperatorName } from '../conditions/index.js'
import type { FailingCondition, StatementExplanation } from '../types.js'

type Kind = 'null' | 'negated' | 'positive'
const kinds = new Map<string, Kind>()

/** How an operator as written reads in a message (memoized: operators repeat). */
function kindOf(operator: string): Kind {
  let kind = kinds.get(operator)
  if (kind === undefined) {
    const name = parseOperatorName(operator)
    kind = name.isNull ? 'null' : name.operator?.isNegative === true ? 'negated' : 'positive'
    if (kinds.size < 1000) kinds.set(operator, kind)
  }
  return kind
}

/**
 * Names a context key for a person: `the token's sub`, `the session tag Project`, or the key
 * itself. `lowerKey` is the key lower-cased; `written` is the key as the policy wrote it.
 */
export interface KeyLabeler {
  name(lowerKey: string, written: string): string
  /** Why the key is absent, when that is worth saying (e.g. a claim AWS never passes). */
  absent?(lowerKey: string, written: string): string | undefined
}

export const genericLabel: KeyLabeler = { name: (_lower, written) => `\`${written}\`` }

function quoteAll(values: readonly string[], sep = ' or '): string {
  if (values.length === 0) return '(no value)'
  if (values.length === 1) return '`' + (values[0] as string) + '`'
  return values.map((v) => `\`${v}\``).join(sep)
}

function valuesText(values: readonly string[]): string {
  return values.length === 1
    ? '`' + (values[0] as string) + '`'
    : `[${values.map((v) => `\`${v}\``).join(', ')}]`
}

/** A list-valued key tested by a single-valued operator: AWS never matches that. */
function isMultiValued(values: readonly string[], operator: string): boolean {
  return (
    values.length !== 1 && !/^for(all|any)values?:/iu.test(operator) && kindOf(operator) !== 'null'
  )
}

/**
 * For an Allow that came closest: its unmet conditions. For a Deny that applied: its conditions
 * (all met), which is what made it deny.
 */
export function describeFailing(
  e: StatementExplanation,
  mode: 'allow' | 'deny',
  label: KeyLabeler,
): FailingCondition[] {
  const out: FailingCondition[] = []
  for (const c of e.conditions) {
    if (mode === 'allow' && c.matched) continue
    const lower = c.key.toLowerCase()
    const who = label.name(lower, c.key)
    const absent = c.requestValues === null ? label.absent?.(lower, c.key) : undefined
    const is =
      c.requestValues === null
        ? `${who} is absent from the request${absent === undefined ? '' : ` (${absent})`}`
        : c.requestValues.length === 0
          ? `${who} is an empty list`
          : `${who} is ${valuesText(c.requestValues)}`
    const op = c.operator
    let message: string
    if (mode === 'deny') {
      message = `${is}; Deny statement ${e.statement} matches it with ${op} ${quoteAll(c.policyValues)}`
    } else if (kindOf(op) === 'null') {
      message = `${is}; the policy requires Null ${quoteAll(c.policyValues)} (${
        c.policyValues.some((v) => v.toLowerCase() === 'true')
          ? 'the key absent'
          : 'the key present'
      })`
    } else if (kindOf(op) === 'negated') {
      message = `${is}; the policy requires ${op} ${quoteAll(c.policyValues, ', ')} (it must match none of them)`
    } else {
      message = `${is}; the policy requires ${op} ${quoteAll(c.policyValues)}`
    }
    if (c.requestValues !== null && mode === 'allow' && isMultiValued(c.requestValues, op))
      message += ` (${who} is multi-valued: use ForAnyValue: or ForAllValues:)`
    out.push({
      statement: e.statement,
      operator: op,
      key: c.key,
      requestValues: c.requestValues,
      policyValues: c.policyValues,
      message,
    })
  }
  return out
}
