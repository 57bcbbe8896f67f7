/**
 * One configuration option: where it comes from (a flag, then a `KEYLESS_*` variable, then the
 * default), how its text is parsed, and its documentation. The option tables are in
 * `options.ts`; `docs/configuration.md` is generated from them (`npm run docs:config`) and a
 * test fails when it drifts.
 */
export interface OptionSpec<T> {
  /** Command-line flag, e.g. `--data-dir`. */
  readonly flag: string
  /**
   * Name of the flag's value in `--help` (`--port <port>`); default: the flag's last word. A
   * `switch` takes no value on the command line (`--demo`); its variable takes true/false.
   */
  readonly arg?: string
  readonly switch?: boolean
  /** Environment variable, e.g. `KEYLESS_DATA_DIR`. */
  readonly env: string
  readonly description: string
  /** Default value; `undefined` means the option is optional with no default. */
  readonly default?: T | ((partial: Readonly<Record<string, unknown>>) => T)
  /** Human text for the default in docs when it is computed. */
  readonly defaultText?: string
  /** Parse a raw string; throw an Error with a short message when invalid. */
  readonly parse: (raw: string) => T
  /** Never print the value (master key, API keys, tokens). */
  readonly secret?: boolean
  /** Required when no default: loading fails without it. */
  readonly required?: boolean
}

export type OptionTable = Readonly<Record<string, OptionSpec<unknown>>>

export type ConfigOf<T extends OptionTable> = {
  readonly [K in keyof T]: T[K] extends OptionSpec<infer V>
    ? T[K]['required'] extends true
      ? V
      : T[K]['default'] extends undefined
        ? V | undefined
        : V
    : never
}

export const parsers = {
  string: (raw: string): string => raw,
  nonEmpty: (raw: string): string => {
    if (raw.trim() === '') throw new Error('must not be empty')
    return raw
  },
  port: (raw: string): number => {
    const n = Number(raw)
    if (!/^\d+$/u.test(raw) || n < 0 || n > 65535) throw new Error('must be a port number 0–65535')
    return n
  },
  int:
    (min: number, max: number) =>
    (raw: string): number => {
      const n = Number(raw)
      if (!/^-?\d+$/u.test(raw.trim()) || n < min || n > max)
        throw new Error(`must be an integer from ${min} to ${max}`)
      return n
    },
  bool: (raw: string): boolean => {
    const v = raw.trim().toLowerCase()
    if (['1', 'true', 'yes', 'on'].includes(v)) return true
    if (['0', 'false', 'no', 'off', ''].includes(v)) return false
    throw new Error('must be true or false')
  },
  oneOf:
    <const V extends string>(...values: V[]) =>
    (raw: string): V => {
      if (!(values as string[]).includes(raw))
        throw new Error(`must be one of ${values.join(', ')}`)
      return raw as V
    },
  /** One http(s) URL or several, comma-separated, in order (duplicates dropped). */
  urls: (raw: string): readonly string[] => {
    const urls = raw
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '')
    if (urls.length === 0) throw new Error('must name at least one http(s) URL')
    const bad = urls.flatMap((u, i) => (isHttpUrl(u) ? [] : [i + 1]))
    if (bad.length > 0)
      throw new Error(
        `must be absolute http(s) URLs, comma-separated (entry ${bad.join(', ')} is not)`,
      )
    return [...new Set(urls)]
  },
  url: (raw: string): string => {
    let u: URL
    try {
      u = new URL(raw)
    } catch {
      throw new Error('must be an absolute URL')
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('must be an http(s) URL')
    return raw
  },
}

function isHttpUrl(raw: string): boolean {
  try {
    const u = new URL(raw)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}
