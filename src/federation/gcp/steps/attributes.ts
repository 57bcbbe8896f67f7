/**
 * Steps 11–12: the attribute mapping (each key, its expression, its value: the explanation), then
 * the attribute condition over `assertion`, `google` and `attribute`.
 */
import { gcpMessages } from '../errors.js'
import {
  applyCondition,
  applyMapping,
  MAX_ATTRIBUTES_BYTES,
  MAX_SUBJECT_BYTES,
  utf8Bytes,
  type MappedIdentity,
  type MappingLine,
} from '../mapping.js'
import { fail, pass, skipped, type GcpStep } from '../step.js'

function show(v: unknown): string {
  return (
    JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x)) ?? 'undefined'
  )
}

export function mappingLines(lines: readonly MappingLine[]): string[] {
  return lines.map((l) =>
    l.error === undefined
      ? `mapping ${l.key} = ${l.expression} → ${show(l.value)}`
      : `mapping ${l.key} = ${l.expression} → error: ${l.error}`,
  )
}

/** The subject against Google's 127 bytes, the whole mapping against its 8192 (two limits, one line). */
function subjectLine(identity: MappedIdentity): string {
  const subject = JSON.stringify(identity.subject)
  return `google.subject ${subject}: ${utf8Bytes(identity.subject)} of ${MAX_SUBJECT_BYTES} bytes (all mapped attributes: ${identity.bytes} of ${MAX_ATTRIBUTES_BYTES})`
}

export const mappingStep: GcpStep = {
  name: 'mapping',
  check({ facts }) {
    const { provider, claims } = facts
    if (provider === undefined || claims === undefined) return skipped('no readable subject token')
    const result = applyMapping(provider.mapping, claims)
    facts.lines = result.lines
    const trace = mappingLines(result.lines)
    if (result.ok) {
      facts.identity = result.identity
      const line = subjectLine(result.identity)
      return pass(line, [...trace, line])
    }
    if (result.problem === 'subject-too-long')
      return fail('subject-too-long', gcpMessages.subjectTooLong, result.why, trace)
    if (result.problem === 'too-large')
      return fail(
        'attributes-too-large',
        gcpMessages.attributesTooLarge(Number(/\d+/u.exec(result.why)?.[0] ?? 0)),
        result.why,
        trace,
      )
    if (result.problem === 'subject-missing')
      return fail('subject-missing', gcpMessages.subjectMissing, result.why, trace)
    return fail(
      'mapping-failed',
      gcpMessages.mapping(result.key, result.why),
      `mapping ${result.key}: ${result.why}`,
      trace,
    )
  },
}

export const conditionStep: GcpStep = {
  name: 'condition',
  check({ facts }) {
    const { provider, claims, identity } = facts
    if (provider === undefined || claims === undefined || identity === undefined)
      return skipped('no mapped identity')
    const condition = provider.condition
    if (condition === undefined)
      return pass(
        'no attribute condition: every token of the issuer with the right audience is accepted',
      )
    const result = applyCondition(condition, claims, identity)
    if (result.ok) return pass(`condition ${condition.source} → true`)
    return fail(
      'condition-rejected',
      gcpMessages.condition,
      `condition ${condition.source}: ${result.why}`,
    )
  },
}
