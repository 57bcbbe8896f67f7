import type { ConfigOf, OptionSpec, OptionTable } from './option.js'

/** A table whose options are renamed for a composed command: `port` → `emulatorPort`. */
export type Prefixed<P extends string, T extends OptionTable> = {
  readonly [K in keyof T & string as `${P}${Capitalize<K>}`]: T[K]
}

function prefixedName(prefix: string, name: string): string {
  return `${prefix}${name.charAt(0).toUpperCase()}${name.slice(1)}`
}

/**
 * The table renamed for a command that composes several (`keyless up`): `port` becomes
 * `emulatorPort` and `--port` becomes `--emulator-port`. Variables keep their names (they are
 * already unique per table: `KEYLESS_EMULATOR_PORT`).
 */
export function prefixed<P extends string, T extends OptionTable>(
  prefix: P,
  table: T,
): Prefixed<P, T> {
  const out: Record<string, OptionSpec<unknown>> = {}
  for (const [name, spec] of Object.entries(table))
    out[prefixedName(prefix, name)] = { ...spec, flag: `--${prefix}-${spec.flag.slice(2)}` }
  return out as Prefixed<P, T>
}

/** The part of a composed configuration that `prefixed(prefix, table)` added, under its own names. */
export function unprefixed<P extends string, T extends OptionTable>(
  prefix: P,
  table: T,
  config: ConfigOf<Prefixed<P, T>>,
): ConfigOf<T> {
  const values: Readonly<Record<string, unknown>> = config
  const out: Record<string, unknown> = {}
  for (const name of Object.keys(table)) out[name] = values[prefixedName(prefix, name)]
  return Object.freeze(out) as ConfigOf<T>
}

/** The table without the named options. */
export function omit<T extends OptionTable, K extends keyof T>(
  table: T,
  ...names: readonly K[]
): Omit<T, K> {
  const out: Record<string, OptionSpec<unknown>> = { ...table }
  for (const name of names) delete out[name as string]
  return out as Omit<T, K>
}
