/**
 * `keyless <command>` loads only that command's module (src/cli/run.ts): each top-level command
 * of the full program has its module in src/cli/commands/modules.ts, and that module alone builds
 * the same command (name, options, subcommands) as the full program.
 */
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { commandModules } from '../../src/cli/commands/modules.js'
import { buildProgram } from '../../src/cli/program.js'
import { rootProgram } from '../../src/cli/root.js'

/** A command's shape: its options and, recursively, its subcommands. */
function shape(command: Command): unknown {
  return {
    name: command.name(),
    description: command.description(),
    options: command.options.map((o) => o.flags),
    commands: command.commands.map(shape),
  }
}

const full = buildProgram()
const names = full.commands.map((c) => c.name())

describe('lazily loaded commands', () => {
  it('lists a module for every command, and no other', () => {
    expect(Object.keys(commandModules).sort()).toEqual([...names].sort())
  })

  it.each(names)('keyless %s alone is the command of the full program', async (name) => {
    const program = rootProgram()
    const load = commandModules[name]
    if (load === undefined) throw new Error(`no module for ${name}`)
    ;(await load()).register(program)
    const alone = program.commands.find((c) => c.name() === name)
    const inFull = full.commands.find((c) => c.name() === name)
    expect(alone).toBeDefined()
    expect(shape(alone as Command)).toEqual(shape(inFull as Command))
  })
})
