/**
 * Adapters for the two CEL libraries compared (bench/cel/conformance.ts): @bufbuild/cel (the one
 * keyless uses) and @marcbachmann/cel-js (a devDependency, used only by this comparison).
 */
import {
  celMap,
  celUint,
  isCelError,
  isCelList,
  isCelMap,
  isCelUint,
  parse,
  plan,
  celEnv,
  type CelInput,
} from '@bufbuild/cel'
import { doubleKey, type CelAdapter, type Neutral, type SpecValue } from './conformance.js'

function bytesOf(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'))
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64')
}

/** Spec value → plain JS input: ints as bigint, doubles as number, maps as Map. */
function jsOf(v: SpecValue, uint: (n: bigint) => unknown): unknown {
  if (v.int64Value !== undefined) return BigInt(v.int64Value)
  if (v.uint64Value !== undefined) return uint(BigInt(v.uint64Value))
  if (v.doubleValue !== undefined) return Number(v.doubleValue)
  if (v.stringValue !== undefined) return v.stringValue
  if (v.boolValue !== undefined) return v.boolValue
  if (v.bytesValue !== undefined) return bytesOf(v.bytesValue)
  if (v.listValue !== undefined) return (v.listValue.values ?? []).map((x) => jsOf(x, uint))
  if (v.mapValue !== undefined)
    return new Map((v.mapValue.entries ?? []).map((e) => [jsOf(e.key, uint), jsOf(e.value, uint)]))
  return null
}

function neutralOfBuf(v: unknown): Neutral {
  if (typeof v === 'bigint') return { int: String(v) }
  if (isCelUint(v)) return { uint: String(v.value) }
  if (typeof v === 'number') return { double: doubleKey(v) }
  if (typeof v === 'string') return { string: v }
  if (typeof v === 'boolean') return { bool: v }
  if (v instanceof Uint8Array) return { bytes: base64(v) }
  if (v === null) return { null: true }
  if (isCelList(v)) return { list: [...v].map(neutralOfBuf) }
  if (isCelMap(v))
    return { map: [...v.entries()].map(([k, x]) => [neutralOfBuf(k), neutralOfBuf(x)]) }
  throw new Error(`unexpected value of type ${typeof v}`)
}

export const bufbuildAdapter: CelAdapter = {
  name: '@bufbuild/cel 0.6.1',
  evaluate(expr, bindings) {
    const input: Record<string, CelInput> = {}
    for (const [k, v] of Object.entries(bindings)) {
      const js = jsOf(v, (n) => celUint(n))
      input[k] = (js instanceof Map ? celMap(js as never) : js) as CelInput
    }
    const out = plan(celEnv(), parse(expr))(input)
    if (isCelError(out)) return out
    return neutralOfBuf(out)
  },
}

interface MarcEnvironment {
  evaluate(expr: string, ctx: Record<string, unknown>): unknown
}
interface MarcModule {
  Environment: new (opts: Record<string, unknown>) => MarcEnvironment
}

function neutralOfMarc(v: unknown): Neutral {
  if (typeof v === 'bigint') return { int: String(v) }
  if (typeof v === 'number') return { double: doubleKey(v) }
  if (typeof v === 'string') return { string: v }
  if (typeof v === 'boolean') return { bool: v }
  if (v instanceof Uint8Array) return { bytes: base64(v) }
  if (v === null) return { null: true }
  if (Array.isArray(v)) return { list: v.map(neutralOfMarc) }
  if (v instanceof Map)
    return { map: [...v.entries()].map(([k, x]) => [neutralOfMarc(k), neutralOfMarc(x)]) }
  if (typeof v === 'object' && v.constructor.name === 'UnsignedInt')
    return { uint: String((v as { value: bigint }).value) }
  if (typeof v === 'object')
    return {
      map: Object.entries(v).map(([k, x]) => [{ string: k }, neutralOfMarc(x)] as const),
    }
  throw new Error(`unexpected value of type ${typeof v}`)
}

/** The cel-js adapter, or undefined when the package is not installed. */
export async function marcbachmannAdapter(): Promise<CelAdapter | undefined> {
  let mod: MarcModule
  try {
    mod = await import('@marcbachmann/cel-js')
  } catch {
    return undefined
  }
  const env = new mod.Environment({
    unlistedVariablesAreDyn: true,
    homogeneousAggregateLiterals: false,
  })
  return {
    name: '@marcbachmann/cel-js 8.0.0',
    evaluate(expr, bindings) {
      const ctx: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(bindings))
        ctx[k] = jsOf(v, () => {
          throw new Error('uint bindings cannot be built (UnsignedInt is not exported)')
        })
      return neutralOfMarc(env.evaluate(expr, ctx))
    },
  }
}
