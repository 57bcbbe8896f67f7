/**
 * Session tags and source identity from token claims (docs/aws-behaviour.md §10):
 * `https://aws.amazon.com/tags` with `principal_tags` (key → [one value]) and
 * `transitive_tag_keys`, and `https://aws.amazon.com/source_identity`. Returns the tags, or the
 * problem AWS would refuse.
 */
export const TAGS_CLAIM = 'https://aws.amazon.com/tags'
export const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity'

export interface TokenSessionTags {
  readonly present: boolean
  readonly tags: ReadonlyArray<{ readonly key: string; readonly value: string }>
  readonly transitiveTagKeys: readonly string[]
}

export type TagsResult =
  | { readonly ok: true; readonly value: TokenSessionTags }
  | { readonly ok: false; readonly message: string }

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u
const SOURCE_IDENTITY = /^[\w+=,.@-]*$/u

function fail(message: string): TagsResult {
  return { ok: false, message }
}

export function extractSessionTags(claims: Readonly<Record<string, unknown>>): TagsResult {
  const claim = claims[TAGS_CLAIM]
  if (claim === undefined)
    return { ok: true, value: { present: false, tags: [], transitiveTagKeys: [] } }
  if (typeof claim !== 'object' || claim === null || Array.isArray(claim))
    return fail(`The claim ${TAGS_CLAIM} must be a JSON object.`)
  const record = claim as Record<string, unknown>
  const principal = record['principal_tags'] ?? {}
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal))
    return fail('principal_tags must be a JSON object.')
  const entries = Object.entries(principal as Record<string, unknown>)
  if (entries.length > 50)
    return fail(
      "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    )
  const tags: Array<{ key: string; value: string }> = []
  const seen = new Set<string>()
  for (const [key, raw] of entries) {
    let value: unknown = raw
    if (Array.isArray(raw)) {
      if (raw.length !== 1)
        return fail(
          `Session tag ${JSON.stringify(key.slice(0, 128))} must have exactly one value; multi-valued session tags are not supported.`,
        )
      value = raw[0]
    }
    if (typeof value !== 'string')
      return fail(`The value of session tag ${JSON.stringify(key.slice(0, 128))} must be a string.`)
    if (key.length < 1 || key.length > 128)
      return fail(`Tag key ${JSON.stringify(key.slice(0, 130))} must have length from 1 to 128.`)
    if (value.length > 256)
      return fail(
        `The value of tag ${JSON.stringify(key)} must have length less than or equal to 256.`,
      )
    if (!TAG_CHARS.test(key) || !TAG_CHARS.test(value))
      return fail(
        `Tag ${JSON.stringify(key)} contains characters outside [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@].`,
      )
    if (key.toLowerCase().startsWith('aws:'))
      return fail(`Tag key ${JSON.stringify(key)} uses the reserved prefix aws:.`)
    const folded = key.toLowerCase()
    if (seen.has(folded))
      return fail('Duplicate tag keys found. Please note that Tag keys are case insensitive.')
    seen.add(folded)
    tags.push({ key, value })
  }
  const transitiveRaw = record['transitive_tag_keys'] ?? []
  if (!Array.isArray(transitiveRaw) || transitiveRaw.some((k) => typeof k !== 'string'))
    return fail('transitive_tag_keys must be an array of strings.')
  const transitive = transitiveRaw as string[]
  if (transitive.length > 50) return fail('transitive_tag_keys must have at most 50 keys.')
  for (const k of transitive)
    if (!seen.has(k.toLowerCase()))
      return fail('The specified transitive tag key must be included in the requested tags.')
  return { ok: true, value: { present: true, tags, transitiveTagKeys: transitive } }
}

export type SourceIdentityResult =
  | { readonly ok: true; readonly value: string | undefined }
  | { readonly ok: false; readonly message: string }

export function extractSourceIdentity(
  claims: Readonly<Record<string, unknown>>,
): SourceIdentityResult {
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
