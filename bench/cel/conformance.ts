/**
 * The CEL conformance cases (cel-spec test data, shipped by @bufbuild/cel-spec) for the subset of
 * CEL that Google's attribute mappings and conditions use (docs/gcp.md, "CEL"): literals, map
 * and list access, has(), in, ==/!=/</>, &&/||/!, the ternary, string + and size(),
 * startsWith/endsWith/contains/matches. Each library runs through an adapter that binds the
 * case's variables and renders its result in one neutral form, so the two can be compared.
 */
import { tests } from '@bufbuild/cel-spec/testdata/conformance.js'

/** cel.expr.Value in its JSON form, as the test data holds it. */
export interface SpecValue {
  readonly int64Value?: string
  readonly uint64Value?: string
  readonly doubleValue?: number | string
  readonly stringValue?: string
  readonly boolValue?: boolean
  readonly bytesValue?: string
  readonly nullValue?: unknown
  readonly listValue?: { readonly values?: readonly SpecValue[] }
  readonly mapValue?: {
    readonly entries?: ReadonlyArray<{ readonly key: SpecValue; readonly value: SpecValue }>
  }
  readonly [other: string]: unknown
}

export interface ConformanceCase {
  readonly id: string
  readonly expr: string
  readonly bindings: Readonly<Record<string, SpecValue>>
  /** Expected value, or undefined when the case expects an evaluation error. */
  readonly value: SpecValue | undefined
}

/** suite → sub-suites in the subset (an empty list = all of them). */
export const SUBSET: Readonly<Record<string, readonly string[]>> = {
  basic: [],
  comparisons: [
    'eq_literal',
    'ne_literal',
    'lt_literal',
    'gt_literal',
    'lte_literal',
    'gte_literal',
    'in_list_literal',
    'in_map_literal',
    'bound',
  ],
  fields: ['map_fields', 'map_has', 'quoted_map_fields', 'qualified_identifier_resolution', 'in'],
  lists: [],
  logic: [],
  string: ['size', 'starts_with', 'ends_with', 'matches', 'concatenation', 'contains'],
}

interface RawTest {
  readonly original: {
    readonly name: string
    readonly expr: string
    readonly bindings?: Readonly<Record<string, { readonly value?: SpecValue }>>
    readonly value?: SpecValue
    readonly evalError?: unknown
    readonly container?: string
    readonly typedResult?: unknown
  }
}
interface RawSuite {
  readonly name: string
  readonly suites?: readonly RawSuite[]
  readonly tests?: readonly RawTest[]
}

const SUPPORTED = new Set([
  'int64Value',
  'uint64Value',
  'doubleValue',
  'stringValue',
  'boolValue',
  'bytesValue',
  'nullValue',
  'listValue',
  'mapValue',
])

function plainValue(v: SpecValue): boolean {
  const keys = Object.keys(v)
  if (keys.length !== 1 || !SUPPORTED.has(keys[0] ?? '')) return false
  if (v.listValue !== undefined) return (v.listValue.values ?? []).every(plainValue)
  if (v.mapValue !== undefined)
    return (v.mapValue.entries ?? []).every((e) => plainValue(e.key) && plainValue(e.value))
  return true
}

/** The cases of the subset that need no protobuf messages, types or containers. */
export function subsetCases(): ConformanceCase[] {
  const out: ConformanceCase[] = []
  for (const suite of (tests as RawSuite).suites ?? []) {
    const wanted = SUBSET[suite.name]
    if (wanted === undefined) continue
    for (const sub of suite.suites ?? []) {
      if (wanted.length > 0 && !wanted.includes(sub.name)) continue
      for (const t of sub.tests ?? []) {
        const o = t.original
        if (o.container !== undefined || o.typedResult !== undefined) continue
        if (/google\.protobuf|TestAllTypes|\btype\(/u.test(o.expr)) continue
        const bindings: Record<string, SpecValue> = {}
        let ok = true
        for (const [k, b] of Object.entries(o.bindings ?? {})) {
          if (b.value === undefined || !plainValue(b.value)) ok = false
          else bindings[k] = b.value
        }
        if (o.value !== undefined && !plainValue(o.value)) ok = false
        if (o.value === undefined && o.evalError === undefined) ok = false
        if (!ok) continue
        out.push({
          id: `${suite.name}/${sub.name}/${o.name}`,
          expr: o.expr,
          bindings,
          value: o.value,
        })
      }
    }
  }
  return out
}

/** One neutral rendering of a CEL value, for comparing libraries. */
export type Neutral =
  | { readonly int: string }
  | { readonly uint: string }
  | { readonly double: number | string }
  | { readonly string: string }
  | { readonly bool: boolean }
  | { readonly bytes: string }
  | { readonly null: true }
  | { readonly list: readonly Neutral[] }
  | { readonly map: ReadonlyArray<readonly [Neutral, Neutral]> }

export function neutralOfSpec(v: SpecValue): Neutral {
  if (v.int64Value !== undefined) return { int: String(BigInt(v.int64Value)) }
  if (v.uint64Value !== undefined) return { uint: String(BigInt(v.uint64Value)) }
  if (v.doubleValue !== undefined) return { double: doubleKey(Number(v.doubleValue)) }
  if (v.stringValue !== undefined) return { string: v.stringValue }
  if (v.boolValue !== undefined) return { bool: v.boolValue }
  if (v.bytesValue !== undefined) return { bytes: v.bytesValue }
  if (v.listValue !== undefined) return { list: (v.listValue.values ?? []).map(neutralOfSpec) }
  if (v.mapValue !== undefined)
    return {
      map: (v.mapValue.entries ?? []).map((e) => [neutralOfSpec(e.key), neutralOfSpec(e.value)]),
    }
  return { null: true }
}

export function doubleKey(n: number): number | string {
  return Number.isNaN(n) ? 'NaN' : Object.is(n, -0) ? 0 : Number.isFinite(n) ? n : String(n)
}

/** Maps compared regardless of entry order. */
export function sameNeutral(a: Neutral, b: Neutral): boolean {
  if ('map' in a && 'map' in b) {
    if (a.map.length !== b.map.length) return false
    return a.map.every(([k, v]) =>
      b.map.some(([k2, v2]) => sameNeutral(k, k2) && sameNeutral(v, v2)),
    )
  }
  if ('list' in a && 'list' in b)
    return a.list.length === b.list.length && a.list.every((x, i) => sameNeutral(x, b.list[i]!))
  return JSON.stringify(a) === JSON.stringify(b)
}

/** A library under comparison: evaluates one case, answering its result or an error. */
export interface CelAdapter {
  readonly name: string
  evaluate(expr: string, bindings: Readonly<Record<string, SpecValue>>): Neutral | Error
}

export interface ConformanceResult {
  readonly passed: number
  readonly total: number
  readonly failed: readonly string[]
}

export function runConformance(
  adapter: CelAdapter,
  cases: readonly ConformanceCase[],
): ConformanceResult {
  const failed: string[] = []
  for (const c of cases) {
    let got: Neutral | Error
    try {
      got = adapter.evaluate(c.expr, c.bindings)
    } catch (e) {
      got = e instanceof Error ? e : new Error(String(e))
    }
    const ok =
      c.value === undefined
        ? got instanceof Error
        : !(got instanceof Error) && sameNeutral(got, neutralOfSpec(c.value))
    if (!ok) failed.push(c.id)
  }
  return { passed: cases.length - failed.length, total: cases.length, failed }
}
