/**
 * Query protocol input: the query string and the form body, merged into one flat parameter map
 * (`Action`, `Version`, `ClientIDList.member.1`, …). A parameter given twice is remembered so the
 * dispatcher can refuse the request.
 */
export interface QueryParams {
  readonly values: ReadonlyMap<string, string>
  /** Names that appeared more than once (in the query, the body, or both). */
  readonly duplicates: readonly string[]
}

const PLUS = /\+/gu

/**
 * Decodes one name or value as URLSearchParams does. Plain text (the common case) is returned
 * as is; valid escapes go through decodeURIComponent; anything it refuses (a stray `%`, bytes
 * that are not UTF-8) falls back to URLSearchParams itself, which is lenient.
 */
function decode(part: string): string {
  const plus = part.includes('+')
  if (!plus && !part.includes('%')) return part
  const spaced = plus ? part.replace(PLUS, ' ') : part
  try {
    return decodeURIComponent(spaced)
  } catch {
    return new URLSearchParams(`v=${part}`).get('v') ?? part
  }
}

/**
 * Parses `application/x-www-form-urlencoded` text (query string or form body) into `into`, in
 * one pass and with URLSearchParams' results (`&`-separated, empty pieces skipped, first `=`
 * splits name from value).
 */
function addPairs(text: string, into: Map<string, string>, duplicates: Set<string>): void {
  let start = 0
  while (start <= text.length) {
    let end = text.indexOf('&', start)
    if (end < 0) end = text.length
    if (end > start) {
      const eq = text.indexOf('=', start)
      const split = eq >= 0 && eq < end
      const name = decode(text.slice(start, split ? eq : end))
      const value = split ? decode(text.slice(eq + 1, end)) : ''
      if (into.has(name)) duplicates.add(name)
      into.set(name, value)
    }
    start = end + 1
  }
}

/** Merges the raw query string (without `?`) and the form body. */
export function parseQueryParams(rawQuery: string, formBody: string): QueryParams {
  const values = new Map<string, string>()
  const duplicates = new Set<string>()
  addPairs(rawQuery, values, duplicates)
  addPairs(formBody, values, duplicates)
  return { values, duplicates: [...duplicates] }
}
