import { ConfigError } from '../errors.js'
import type { ConfigOf, OptionTable } from './option.js'

export interface ConfigSources {
  /** Values from the command line, keyed by option name (camelCase). */
  readonly flags?: Readonly<Record<string, string | number | boolean | undefined>>
  /** Environment; defaults to `process.env`. The only read of `process.env` in keyless. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** The process environment. Only this module reads it; everything else takes it injected. */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return process.env
}

/**
 * Loads a configuration from flags, then environment variables, then defaults. Returns a frozen,
 * typed object or throws one ConfigError that lists every problem.
 */
export function loadConfig<T extends OptionTable>(
  table: T,
  sources: ConfigSources = {},
): ConfigOf<T> {
  const env = sources.env ?? processEnv()
  const flags = sources.flags ?? {}
  const out: Record<string, unknown> = {}
  const problems: string[] = []
  const computed: string[] = []

  for (const [name, spec] of Object.entries(table)) {
    const fromFlag = flags[name]
    const fromEnv = env[spec.env]
    let raw: string | undefined
    let origin = ''
    if (fromFlag !== undefined) {
      raw = String(fromFlag)
      origin = spec.flag
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw = fromEnv
      origin = spec.env
    }
    if (raw !== undefined) {
      try {
        out[name] = spec.parse(raw)
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e)
        const shown = spec.secret === true ? '' : ` (got ${JSON.stringify(raw.slice(0, 200))})`
        problems.push(`${origin}: ${why}${shown}`)
      }
    } else if (typeof spec.default === 'function') {
      computed.push(name)
    } else if (spec.default !== undefined) {
      out[name] = spec.default
    } else if (spec.required === true) {
      problems.push(`${spec.flag} (or ${spec.env}) is required`)
    }
  }
  for (const name of computed) {
    const spec = table[name]
    if (spec !== undefined && typeof spec.default === 'function') {
      out[name] = (spec.default as (p: Readonly<Record<string, unknown>>) => unknown)(out)
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(out) as ConfigOf<T>
}
