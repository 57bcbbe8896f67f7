/**
 * The option tables drive the CLI: every option docs/configuration.md documents is a flag of the
 * commands its section names, every flag of a table-driven command is documented, and `keyless up`
 * reads the server's, the emulator's and the agent's options (flags and variables) from one table.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../src/cli/program.js'
import { loadConfig, unprefixed, upOptions, upParts } from '../../src/shared/config/index.js'
import { REPO_ROOT } from '../support/cli.js'

/** Sections of docs/configuration.md: the command paths of the heading, and the flags listed. */
function documented(): Array<{ commands: string[][]; flags: string[] }> {
  const text = readFileSync(join(REPO_ROOT, 'docs', 'configuration.md'), 'utf8')
  return text
    .split(/^## /mu)
    .slice(1)
    .map((section) => {
      const heading = section.split('\n')[0] ?? ''
      const commands = [...heading.matchAll(/keyless ([a-z]+(?: [a-z]+)?)/gu)].map((m) =>
        (m[1] ?? '').split(' '),
      )
      const flags = [...section.matchAll(/^\| `(--[a-z0-9-]+)` \|/gmu)].map((m) => m[1] ?? '')
      return { commands, flags }
    })
}

function find(program: Command, path: readonly string[]): Command {
  let command = program
  for (const name of path) {
    const next = command.commands.find((c) => c.name() === name)
    if (next === undefined) throw new Error(`no command ${path.join(' ')}`)
    command = next
  }
  return command
}

const flagsOf = (command: Command): string[] =>
  command.options.map((o) => o.long ?? '').filter((f) => f !== '')

/** Commands whose every flag comes from an option table. */
const TABLE_DRIVEN = ['server', 'up', 'emulator', 'agent']

describe('docs/configuration.md and the CLI', () => {
  const sections = documented()
  const program = buildProgram()

  it('names every table-driven command and the client commands', () => {
    const named = sections.flatMap((s) => s.commands.map((c) => c.join(' ')))
    expect(named).toEqual(
      expect.arrayContaining([...TABLE_DRIVEN, 'deploy', 'preflight', 'setup aws']),
    )
  })

  const cases = sections.flatMap((s) => s.commands.map((path) => ({ path, flags: s.flags })))
  it.each(cases)('keyless $path has every option documented for it', ({ path, flags }) => {
    expect(flags.length).toBeGreaterThan(0)
    expect(flagsOf(find(program, path))).toEqual(expect.arrayContaining(flags))
  })

  it.each(TABLE_DRIVEN)('every flag of keyless %s is documented in its section', (name) => {
    const section = sections.find((s) => s.commands.some((c) => c.join(' ') === name))
    expect(section).toBeDefined()
    expect([...flagsOf(find(program, [name]))].sort()).toEqual([...(section?.flags ?? [])].sort())
  })
})

describe('the options of keyless up', () => {
  it('compose the server, emulator and agent tables, flags over variables', () => {
    const config = loadConfig(upOptions, {
      flags: { port: '9000' },
      env: {
        KEYLESS_PORT: '7000',
        KEYLESS_EMULATOR_PORT: '4999',
        KEYLESS_AGENT_CONCURRENCY: '3',
        KEYLESS_DATA_DIR: '/tmp/k',
      },
    })
    expect(config.port).toBe(9000)
    expect(config.logLevel).toBe('warn')
    const emulator = unprefixed('emulator', upParts.emulator, config)
    expect(emulator).toMatchObject({ port: 4999, host: '127.0.0.1', state: '/tmp/k/emulator.db' })
    const agent = unprefixed('agent', upParts.agent, config)
    expect(agent).toMatchObject({ concurrency: 3, name: 'embedded', workDir: '/tmp/k/work' })
    expect(agent.token).toBeUndefined()
  })

  it('keeps the emulator in memory only when told', () => {
    const config = loadConfig(upOptions, { env: { KEYLESS_EMULATOR_STATE: 'memory' } })
    expect(unprefixed('emulator', upParts.emulator, config).state).toBe('memory')
  })
})
