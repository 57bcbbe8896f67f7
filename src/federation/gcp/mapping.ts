/**
 * Runs a provider's attribute mapping over a token's claims, then its condition (docs/gcp.md,
 * "How Google decides"): each mapped key with the expression and the value it produced (the
 * explanation), `google.subject` a non-empty string of at most 127 bytes, `google.groups` and
 * custom attributes strings or lists of strings, all mapped values at most 8 KB together.
 */
import type { CelPlain, CompiledCel } from './cel.js'

export const MAX_SUBJECT_BYTES = 127
export const MAX_ATTRIBUTES_BYTES = 8192

export interface MappingLine {
  readonly key: string
  readonly expression: string
  readonly value?: CelPlain
  readonly error?: string
}

export interface MappedIdentity {
  readonly subject: string
  readonly groups: readonly string[]
  /** `attribute.<k>` values by `<k>`. */
  readonly attributes: Readonly<Record<string, string | readonly string[]>>
  readonly bytes: number
}

export type MappingResult =
  | { readonly ok: true; readonly identity: MappedIdentity; readonly lines: readonly MappingLine[] }
  | {
      readonly ok: false
      readonly problem: 'failed' | 'subject-missing' | 'subject-too-long' | 'too-large'
      readonly key: string
      readonly why: string
      readonly lines: readonly MappingLine[]
    }

/** The UTF-8 length of `text`, without encoding it (a lone surrogate counts as U+FFFD: 3). */
export function utf8Bytes(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4
        i += 1
      } else n += 3
    } else n += 3
  }
  return n
}

/** A mapped value as Google keeps it: a string, or a list of strings; else why not. */
function asStrings(v: CelPlain): string | readonly string[] | { readonly not: string } {
  if (typeof v === 'string') return v
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v
  const kind = Array.isArray(v) ? 'a list with non-string elements' : v === null ? 'null' : typeof v
  return { not: `the result is ${kind}, not a string or a list of strings` }
}

function sizeOf(key: string, v: string | readonly string[]): number {
  return (
    utf8Bytes(key) +
    (typeof v === 'string' ? utf8Bytes(v) : v.reduce((n, s) => n + utf8Bytes(s), 0))
  )
}

export function applyMapping(
  mapping: ReadonlyArray<readonly [string, CompiledCel]>,
  claims: Readonly<Record<string, unknown>>,
): MappingResult {
  const lines: MappingLine[] = []
  let subject: string | undefined
  let groups: readonly string[] = []
  const attributes: Record<string, string | readonly string[]> = {}
  let bytes = 0
  for (const [key, program] of mapping) {
    const out = program.evaluate({ assertion: claims })
    if (!out.ok) {
      lines.push({ key, expression: program.source, error: out.error })
      return { ok: false, problem: 'failed', key, why: out.error, lines }
    }
    lines.push({ key, expression: program.source, value: out.value })
    const value = asStrings(out.value)
    if (typeof value === 'object' && 'not' in value)
      return { ok: false, problem: 'failed', key, why: value.not, lines }
    bytes += sizeOf(key, value)
    if (key === 'google.subject') {
      if (typeof value !== 'string' || value === '')
        return {
          ok: false,
          problem: 'subject-missing',
          key,
          why: 'google.subject is empty or a list',
          lines,
        }
      subject = value
    } else if (key === 'google.groups') groups = typeof value === 'string' ? [value] : value
    else attributes[key.slice('attribute.'.length)] = value
  }
  if (subject === undefined)
    return {
      ok: false,
      problem: 'subject-missing',
      key: 'google.subject',
      why: 'not mapped',
      lines,
    }
  const subjectBytes = utf8Bytes(subject)
  if (subjectBytes > MAX_SUBJECT_BYTES)
    return {
      ok: false,
      problem: 'subject-too-long',
      key: 'google.subject',
      why: `google.subject is ${subjectBytes} bytes (${subject.length} characters), over ${MAX_SUBJECT_BYTES}`,
      lines,
    }
  if (bytes > MAX_ATTRIBUTES_BYTES)
    return {
      ok: false,
      problem: 'too-large',
      key: '*',
      why: `the mapped attributes total ${bytes} bytes, over ${MAX_ATTRIBUTES_BYTES}`,
      lines,
    }
  return { ok: true, identity: { subject, groups, attributes, bytes }, lines }
}

export type ConditionResult = { readonly ok: true } | { readonly ok: false; readonly why: string }

/** The condition over `assertion`, `google` and `attribute`: only `true` accepts. */
export function applyCondition(
  condition: CompiledCel | undefined,
  claims: Readonly<Record<string, unknown>>,
  identity: MappedIdentity,
): ConditionResult {
  if (condition === undefined) return { ok: true }
  const out = condition.evaluate({
    assertion: claims,
    google: { subject: identity.subject, groups: [...identity.groups] },
    attribute: identity.attributes,
  })
  if (!out.ok) return { ok: false, why: `the condition failed to evaluate: ${out.error}` }
  if (out.value === true) return { ok: true }
  return {
    ok: false,
    why:
      out.value === false
        ? 'the condition is false'
        : `the condition is not a boolean (${JSON.stringify(typeof out.value === 'bigint' ? String(out.value) : out.value)})`,
  }
}
