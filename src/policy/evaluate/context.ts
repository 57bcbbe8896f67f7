/**
 * The request context with case-insensitive key names. Scalars are single-valued keys, arrays are
 * multi-valued keys; numbers and booleans are read as their decimal / `true`/`false` text.
 */
import type { ContextValue } from '../types.js'

export type NormalizedValue = string | readonly string[]

export interface RequestContext {
  /** undefined = the key is absent. */
  get(lowerKey: string): NormalizedValue | undefined
}

function normalize(value: ContextValue): NormalizedValue {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return (value as ReadonlyArray<string | number | boolean>).map(String)
  return String(value)
}

/** Builds the case-insensitive view of a context record (first spelling of a key wins). */
export function contextOf(record: Readonly<Record<string, ContextValue>>): RequestContext {
  const map = new Map<string, NormalizedValue>()
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue
    const value = record[key]
    if (value === undefined || value === null) continue
    const lower = key.toLowerCase()
    if (!map.has(lower)) map.set(lower, normalize(value))
  }
  return map
}
