/**
 * Session tags and source identity from token claims (docs/aws-behaviour.md §10):
 * `https://aws.amazon.com/tags` with `principal_tags` (key → [one value]) and
 * `transitive_tag_keys`, and `https://aws.amazon.com/source_identity`. Every problem STS would
 * refuse is listed in the order STS meets them; the first one is STS's answer.
 */
import type { SessionTag } from '../../policy/index.js'

export const TAGS_CLAIM = 'https://aws.amazon.com/tags'
export const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity'
export const MAX_SESSION_TAGS = 50

export interface SessionTagsReading {
  readonly present: boolean
  /** The tags that could be read (all of them when there is no problem). */
  readonly tags: readonly SessionTag[]
  readonly transitiveTagKeys: readonly string[]
  /** What STS would refuse, in its words; the first is its answer. Empty when acceptable. */
  readonly problems: readonly string[]
}

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u
const SOURCE_IDENTITY = /^[\w+=,.@-]*$/u

function tagValue(key: string, raw: unknown): { value?: string; problem?: string } {
  let value: unknown = raw
  if (Array.isArray(raw)) {
    if (raw.length !== 1)
      return {
        problem: `Session tag ${JSON.stringify(key.slice(0, 128))} must have exactly one value; multi-valued session tags are not supported.`,
      }
    value = raw[0]
  }
  if (typeof value !== 'string')
    return {
      problem: `The value of session tag ${JSON.stringify(key.slice(0, 128))} must be a string.`,
    }
  return { value }
}

/** The problems of one tag, in STS's order. */
function tagProblems(key: string, value: string, seen: ReadonlySet<string>): string[] {
  const problems: string[] = []
  if (key.length < 1 || key.length > 128)
    problems.push(`Tag key ${JSON.stringify(key.slice(0, 130))} must have length from 1 to 128.`)
  if (value.length > 256)
    problems.push(
      `The value of tag ${JSON.stringify(key)} must have length less than or equal to 256.`,
    )
  if (!TAG_CHARS.test(key) || !TAG_CHARS.test(value))
    problems.push(
      `Tag ${JSON.stringify(key)} contains characters outside [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@].`,
    )
  if (key.toLowerCase().startsWith('aws:'))
    problems.push(`Tag key ${JSON.stringify(key)} uses the reserved prefix aws:.`)
  if (seen.has(key.toLowerCase()))
    problems.push('Duplicate tag keys found. Please note that Tag keys are case insensitive.')
  return problems
}

function principalTags(
  record: Readonly<Record<string, unknown>>,
  problems: string[],
): SessionTag[] | undefined {
  const principal = record['principal_tags'] ?? {}
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) {
    problems.push('principal_tags must be a JSON object.')
    return undefined
  }
  const entries = Object.entries(principal)
  if (entries.length > MAX_SESSION_TAGS)
    problems.push(
      `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SESSION_TAGS}`,
    )
  const tags: SessionTag[] = []
  const seen = new Set<string>()
  for (const [key, raw] of entries) {
    const { value, problem } = tagValue(key, raw)
    if (value === undefined) {
      problems.push(problem ?? '')
      continue
    }
    problems.push(...tagProblems(key, value, seen))
    seen.add(key.toLowerCase())
    tags.push({ key, value })
  }
  return tags
}

function transitiveKeys(
  record: Readonly<Record<string, unknown>>,
  tags: readonly SessionTag[],
  problems: string[],
): string[] {
  const raw = record['transitive_tag_keys'] ?? []
  if (!Array.isArray(raw) || raw.some((k) => typeof k !== 'string')) {
    problems.push('transitive_tag_keys must be an array of strings.')
    return []
  }
  const keys = raw.filter((k): k is string => typeof k === 'string')
  if (keys.length > MAX_SESSION_TAGS)
    problems.push(`transitive_tag_keys must have at most ${MAX_SESSION_TAGS} keys.`)
  const known = new Set(tags.map((t) => t.key.toLowerCase()))
  if (keys.some((k) => !known.has(k.toLowerCase())))
    problems.push('The specified transitive tag key must be included in the requested tags.')
  return keys
}

export function readSessionTags(claims: Readonly<Record<string, unknown>>): SessionTagsReading {
  const claim = claims[TAGS_CLAIM]
  if (claim === undefined) return { present: false, tags: [], transitiveTagKeys: [], problems: [] }
  if (typeof claim !== 'object' || claim === null || Array.isArray(claim))
    return {
      present: true,
      tags: [],
      transitiveTagKeys: [],
      problems: [`The claim ${TAGS_CLAIM} must be a JSON object.`],
    }
  const record = claim as Readonly<Record<string, unknown>>
  const problems: string[] = []
  const tags = principalTags(record, problems)
  if (tags === undefined) return { present: true, tags: [], transitiveTagKeys: [], problems }
  const transitiveTagKeys = transitiveKeys(record, tags, problems)
  return { present: true, tags, transitiveTagKeys, problems }
}

export type SourceIdentityReading =
  | { readonly ok: true; readonly value: string | undefined }
  | { readonly ok: false; readonly message: string }

export function readSourceIdentity(
  claims: Readonly<Record<string, unknown>>,
): SourceIdentityReading {
  const raw = claims[SOURCE_IDENTITY_CLAIM]
  if (raw === undefined) return { ok: true, value: undefined }
  if (typeof raw !== 'string')
    return { ok: false, message: 'The source identity claim must be a string.' }
  if (raw.length < 2 || raw.length > 64)
    return { ok: false, message: 'The source identity must have length from 2 to 64.' }
  if (!SOURCE_IDENTITY.test(raw))
    return {
      ok: false,
      message: 'The source identity must satisfy regular expression pattern: [\\w+=,.@-]*',
    }
  if (raw.toLowerCase().startsWith('aws:'))
    return { ok: false, message: 'The source identity must not begin with aws:.' }
  return { ok: true, value: raw }
}
