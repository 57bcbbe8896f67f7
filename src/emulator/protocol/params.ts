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

/** Parses `application/x-www-form-urlencoded` text (query string or form body) into `into`. */
function addPairs(text: string, into: Map<string, string>, duplicates: Set<string>): void {
  if (text === '') return
  for (const [name, value] of new URLSearchParams(text)) {
    if (into.has(name)) duplicates.add(name)
    into.set(name, value)
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
