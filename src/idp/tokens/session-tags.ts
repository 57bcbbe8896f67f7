import type { OmittedTag } from '../types.js'

/**
 * AWS session-tag limits (docs/aws-behaviour.md §10): at most 50 tags; keys 1–128 and values
 * 0–256 characters; characters letters, numbers, white space and `_ . : / = + - @`; keys must not
 * start with `aws:` and are case-insensitive (two keys differing only in case are duplicates).
 * A tag that breaks a limit is left out and reported; it is never sent to fail at AWS.
 */
export const MAX_SESSION_TAGS = 50
export const MAX_TAG_KEY_LENGTH = 128
export const MAX_TAG_VALUE_LENGTH = 256
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u
const ALLOWED_TEXT = 'letters, digits, spaces and _ . : / = + - @'

/** The claim AWS reads session tags from. */
export const SESSION_TAGS_CLAIM = 'https://aws.amazon.com/tags'

export interface SessionTagsClaim {
  /** Each value a one-element array, AWS's format. */
  readonly principal_tags: Readonly<Record<string, readonly [string]>>
}

export interface CheckedTags {
  readonly principalTags: Record<string, [string]>
  readonly omitted: OmittedTag[]
}

/** Why AWS would reject this tag, or undefined when it is fine. */
export function tagProblem(key: string, value: string): string | undefined {
  // Length in UTF-16 code units: never less than the character count, so never too lenient.
  if (key.length === 0) return 'the tag key is empty'
  if (key.length > MAX_TAG_KEY_LENGTH)
    return `the tag key is longer than ${MAX_TAG_KEY_LENGTH} characters`
  if (!TAG_CHARACTERS.test(key)) return `the tag key may only contain ${ALLOWED_TEXT}`
  if (key.toLowerCase().startsWith('aws:'))
    return 'the tag key starts with aws:, which AWS reserves'
  if (value.length > MAX_TAG_VALUE_LENGTH)
    return `the value is longer than ${MAX_TAG_VALUE_LENGTH} characters`
  if (!TAG_CHARACTERS.test(value)) return `the value may only contain ${ALLOWED_TEXT}`
  return undefined
}

/** Keeps the tags AWS accepts, in order, and reports each one left out (by key, never by value). */
export function checkSessionTags(tags: ReadonlyArray<readonly [string, string]>): CheckedTags {
  const principalTags: Record<string, [string]> = {}
  const omitted: OmittedTag[] = []
  const seen = new Set<string>()
  let count = 0
  for (const [key, value] of tags) {
    let reason = tagProblem(key, value)
    if (reason === undefined && seen.has(key.toLowerCase()))
      reason = 'another tag has the same key (AWS compares tag keys without case)'
    if (reason === undefined && count >= MAX_SESSION_TAGS)
      reason = `AWS accepts at most ${MAX_SESSION_TAGS} session tags`
    if (reason !== undefined) {
      omitted.push({ key, reason })
      continue
    }
    seen.add(key.toLowerCase())
    principalTags[key] = [value]
    count++
  }
  return { principalTags, omitted }
}
