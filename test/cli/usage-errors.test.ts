/**
 * A usage mistake (a misspelt or missing option, an unknown command) is one `keyless:` line —
 * with commander's "Did you mean …?" when there is one — and where to find the options, exit 2;
 * never the whole help, which buries the line that says what is wrong. Spawned as a user runs it.
 */
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { keylessArgs } from '../support/cli.js'

function keyless(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [...keylessArgs, ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout.resume()
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })))
}

const HINT = '(add --help for the options)\n'
const cases: ReadonlyArray<[string, string[], string]> = [
  [
    'a misspelt option',
    ['setup', 'gcp', '--organization', 'org_1', '--enviroment', 'env_1'],
    `keyless: unknown option '--enviroment'\n(Did you mean --environment?)\n${HINT}`,
  ],
  [
    'a missing required option',
    ['setup', 'aws', '--role-name', 'deployer'],
    `keyless: required option '--organization <id>' not specified\n${HINT}`,
  ],
  [
    'an option without its value',
    ['explain', '--token'],
    `keyless: option '--token <jwt>' argument missing\n${HINT}`,
  ],
  [
    'an unknown command',
    ['deplyo'],
    `keyless: unknown command 'deplyo'\n(Did you mean deploy?)\n${HINT}`,
  ],
]

describe('usage errors', () => {
  it.each(cases)('%s: one line and a hint, exit 2', async (_name, args, stderr) => {
    const r = await keyless(args)
    expect(r.stderr).toBe(stderr)
    expect(r.code).toBe(2)
  })
})
