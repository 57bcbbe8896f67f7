/**
 * CEL for attribute mappings and conditions behind a small interface (docs/gcp.md, "CEL"):
 * `compile` parses and checks an expression once (at provider create/patch), `evaluate` runs it
 * against the token's claims. The implementation is @bufbuild/cel (cel-spec conformance, RE2 for
 * `matches`) plus Google's `extract()`; only the variables Google declares are allowed
 * (`assertion` in mappings; `assertion`, `google`, `attribute` in conditions), and a condition
 * must be boolean by its form.
 */
import {
  CelScalar,
  celEnv,
  celMethod,
  isCelError,
  isCelList,
  isCelMap,
  isCelUint,
  parse,
  plan,
  type CelEnv,
  type CelInput,
} from '@bufbuild/cel'
import { staticProblem } from './cel-static.js'
import { extractTemplate } from './extract.js'

export type CelKind = 'mapping' | 'condition'

/** A CEL result as plain data: ints as bigint, JSON numbers as number, maps as objects. */
export type CelPlain =
  | string
  | number
  | bigint
  | boolean
  | null
  | readonly CelPlain[]
  | { readonly [key: string]: CelPlain }

export type CelOutcome =
  { readonly ok: true; readonly value: CelPlain } | { readonly ok: false; readonly error: string }

export interface CompiledCel {
  readonly source: string
  readonly kind: CelKind
  evaluate(variables: Readonly<Record<string, unknown>>): CelOutcome
}

export type CelCompileResult =
  | { readonly ok: true; readonly program: CompiledCel }
  | { readonly ok: false; readonly error: string }

export interface CelEngine {
  compile(source: string, kind: CelKind): CelCompileResult
}

export const CEL_VARIABLES: Readonly<Record<CelKind, readonly string[]>> = {
  mapping: ['assertion'],
  condition: ['assertion', 'google', 'attribute'],
}

const extract = celMethod(
  'extract',
  CelScalar.STRING,
  [CelScalar.STRING],
  CelScalar.STRING,
  function (this: string, template: string): string {
    return extractTemplate(this, template)
  },
)

function plain(v: unknown): CelPlain {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return v
  if (typeof v === 'boolean' || v === null) return v
  if (isCelUint(v)) return v.value
  if (isCelList(v)) return [...v].map(plain)
  if (isCelMap(v)) {
    const out: Record<string, CelPlain> = {}
    for (const [k, x] of v.entries()) out[String(isCelUint(k) ? k.value : k)] = plain(x)
    return out
  }
  if (v instanceof Uint8Array) return `b'${Array.from(v).join(',')}'`
  return JSON.stringify(v) ?? typeof v
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

class BufCel implements CelEngine {
  readonly #env: CelEnv = celEnv({ funcs: [extract] })

  compile(source: string, kind: CelKind): CelCompileResult {
    let parsed: ReturnType<typeof parse>
    try {
      parsed = parse(source)
    } catch (e) {
      return { ok: false, error: message(e) }
    }
    const problem = staticProblem(parsed.expr, CEL_VARIABLES[kind], kind === 'condition')
    if (problem !== undefined) return { ok: false, error: problem }
    let run: (vars: Record<string, CelInput>) => unknown
    try {
      run = plan(this.#env, parsed)
    } catch (e) {
      return { ok: false, error: message(e) }
    }
    return {
      ok: true,
      program: {
        source,
        kind,
        evaluate(variables) {
          try {
            const out = run(variables as Record<string, CelInput>)
            if (isCelError(out)) return { ok: false, error: out.message }
            return { ok: true, value: plain(out) }
          } catch (e) {
            return { ok: false, error: message(e) }
          }
        },
      },
    }
  }
}

/** The CEL engine keyless uses. */
export const celEngine: CelEngine = new BufCel()
