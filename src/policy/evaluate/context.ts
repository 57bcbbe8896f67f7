/**
 * The request context with case-insensitive key names. Scalars are single-valued keys, arrays are
 * multi-valued keys; numbers and booleans are read as their decimal / `true`/`false` text.
 *
 * Lookups first try the key as the policy wrote it (the common case: policy and request spell it
 * alike), and only on a miss build a lower-cased index of the context, once per evaluation. A
 * context must not hold two spellings of the same key.
 */
import type { ContextValue } from '../types.js'

export type NormalizedValue = string | readonly string[]

export interface RequestContext {
  /** undefined = the key is absent. `written` is the key as the policy spells it. */
  get(lowerKey: string, written?: string): NormalizedValue | undefined
}

function normalize(value: ContextValue): NormalizedValue {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    const list = value as ReadonlyArray<string | number | boolean>
    for (let i = 0; i < list.length; i++) {
      if (typeof list[i] !== 'string') return list.map(String)
    }
    return list as readonly string[]
  }
  return String(value)
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

/**
 * A value read by `record[key]` is the record's own unless it came from Object.prototype, whose
 * members are all functions (or `__proto__`): one hash lookup instead of two in the common case.
 */
function isOwnValue(record: object, key: string, v: unknown): boolean {
  return (typeof v !== 'function' && key !== '__proto__') || hasOwn(record, key)
}

class RecordContext implements RequestContext {
  private readonly record: Readonly<Record<string, ContextValue>>
  private index: Map<string, ContextValue> | undefined

  constructor(record: Readonly<Record<string, ContextValue>>) {
    this.record = record
  }

  get(lowerKey: string, written?: string): NormalizedValue | undefined {
    const record = this.record
    if (written !== undefined) {
      const v = record[written]
      if (v !== undefined && isOwnValue(record, written, v))
        return v === null ? undefined : normalize(v)
    }
    const w = record[lowerKey]
    if (w !== undefined && isOwnValue(record, lowerKey, w))
      return w === null ? undefined : normalize(w)
    let index = this.index
    if (index === undefined) {
      index = new Map()
      for (const key in record) {
        if (!hasOwn(record, key)) continue
        const lower = key.toLowerCase()
        if (!index.has(lower)) index.set(lower, record[key] as ContextValue)
      }
      this.index = index
    }
    const v = index.get(lowerKey)
    return v === undefined || v === null ? undefined : normalize(v)
  }
}

/** The case-insensitive view of a context record. */
export function contextOf(record: Readonly<Record<string, ContextValue>>): RequestContext {
  return new RecordContext(record)
}
