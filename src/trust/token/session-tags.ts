/**
 * The `https://aws.amazon.com/tags` claim (docs/aws-behaviour.md §10): session tags and transitive
 * tag keys, with everything STS would refuse about them.
 */
import type { SessionTag } from '../../policy/index.js'

import { TAGS_CLAIM } from '../../federation/aws/session-tags.js'

export { SOURCE_IDENTITY_CLAIM, TAGS_CLAIM } from '../../federation/aws/session-tags.js'

export interface ExtractedTags {
  readonly present: boolean
  readonly tags: readonly SessionTag[]
  readonly transitiveTagKeys: readonly string[]
  /** What STS would reject, one sentence each. */
  readonly problems: readonly string[]
}

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

export function extractSessionTags(claims: Readonly<Record<string, unknown>>): ExtractedTags {
  const raw = claims[TAGS_CLAIM]
  if (raw === undefined) return { present: false, tags: [], transitiveTagKeys: [], problems: [] }
  const problems: string[] = []
  const tags: SessionTag[] = []
  const transitive: string[] = []
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`the ${TAGS_CLAIM} claim is not an object`)
    return { present: true, tags, transitiveTagKeys: transitive, problems }
  }
  const principalTags = (raw as Record<string, unknown>)['principal_tags']
  if (principalTags !== undefined) {
    if (typeof principalTags !== 'object' || principalTags === null || Array.isArray(principalTags))
      problems.push('principal_tags is not an object')
    else
      for (const [key, value] of Object.entries(principalTags)) {
        let v: string | undefined
        if (typeof value === 'string') v = value
        else if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string')
          v = value[0]
        else if (Array.isArray(value) && value.length > 1)
          problems.push(
            `tag ${key} has ${value.length} values; STS does not support multi-valued session tags`,
          )
        else problems.push(`tag ${key} is not a string or a one-string array`)
        if (v !== undefined) tags.push({ key, value: v })
      }
  }
  const t = (raw as Record<string, unknown>)['transitive_tag_keys']
  if (t !== undefined) {
    if (!Array.isArray(t) || t.some((k) => typeof k !== 'string'))
      problems.push('transitive_tag_keys is not an array of strings')
    else transitive.push(...(t as string[]))
  }
  if (tags.length > 50) problems.push(`${tags.length} session tags; STS accepts at most 50`)
  const seen = new Map<string, string>()
  for (const { key, value } of tags) {
    if (key.length < 1 || key.length > 128)
      problems.push(`tag key ${JSON.stringify(key)} is not 1–128 characters`)
    if (value.length > 256)
      problems.push(`tag ${key}: value is ${value.length} characters (at most 256)`)
    if (!TAG_CHARS.test(key))
      problems.push(`tag key ${JSON.stringify(key)} has characters STS refuses`)
    if (!TAG_CHARS.test(value))
      problems.push(
        `tag ${key}: value has characters STS refuses (letters, digits, spaces and _ . : / = + - @ only)`,
      )
    if (key.toLowerCase().startsWith('aws:'))
      problems.push(`tag key ${key} starts with "aws:", which is reserved`)
    const lower = key.toLowerCase()
    const other = seen.get(lower)
    if (other !== undefined)
      problems.push(
        `tag keys ${other} and ${key} differ only in case; session tag keys are case-insensitive`,
      )
    seen.set(lower, key)
  }
  for (const k of transitive)
    if (!seen.has(k.toLowerCase()))
      problems.push(
        `transitive tag key ${k} is not one of the tags ("The specified transitive tag key must be included in the requested tags.")`,
      )
  return { present: true, tags, transitiveTagKeys: transitive, problems }
}
