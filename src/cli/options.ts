import { Option, type Command } from 'commander'
import { loadConfig, type ConfigOf, type OptionTable } from '../shared/config/index.js'

/** What commander parsed for a command, keyed by its attribute names. */
export type ParsedFlags = Readonly<Record<string, unknown>>

function defaultHelp(spec: OptionTable[string]): string {
  if (spec.defaultText !== undefined) return `default ${spec.defaultText}; `
  if (spec.default === undefined || typeof spec.default === 'function') return ''
  return `default ${JSON.stringify(spec.default).replace(/^"|"$/gu, '')}; `
}

/** The commander option of one table entry; it has no commander default, so the variable and the table's default still apply. */
export function commanderOption(spec: OptionTable[string]): Option {
  const arg = spec.arg ?? spec.flag.split('-').at(-1) ?? 'value'
  const flags = spec.switch === true ? spec.flag : `${spec.flag} <${arg}>`
  return new Option(flags, `${spec.description} (${defaultHelp(spec)}env ${spec.env})`)
}

/**
 * Adds every option of a table (src/shared/config/options.ts) to a command and returns the loader
 * of its configuration: flags, then `KEYLESS_*` variables, then defaults, with one ConfigError
 * listing every problem (exit 2).
 */
export function addOptions<T extends OptionTable>(
  command: Command,
  table: T,
): (parsed: ParsedFlags) => ConfigOf<T> {
  const names = new Map<string, string>()
  for (const [name, spec] of Object.entries(table)) {
    const option = commanderOption(spec)
    command.addOption(option)
    names.set(option.attributeName(), name)
  }
  return (parsed) => {
    const flags: Record<string, string | boolean | undefined> = {}
    for (const [attribute, name] of names) {
      const value = parsed[attribute]
      if (typeof value === 'string' || typeof value === 'boolean') flags[name] = value
    }
    return loadConfig(table, { flags })
  }
}
