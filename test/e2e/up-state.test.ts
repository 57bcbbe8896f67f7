/**
 * `keyless up` keeps its emulator's state in the data directory (`<data-dir>/emulator.db`): a role
 * created with `keyless setup aws --apply` is still there after a restart of `up`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { afterAll, describe, expect, it } from 'vitest'
import { keylessArgs } from '../support/cli.js'
import { ACCOUNT, EMULATOR_KEYS, freePort, startProcess, type Proc } from './support/stack.js'

const dir = mkdtempSync(join(tmpdir(), 'keyless-up-state-'))
const procs: Proc[] = []
afterAll(async () => {
  await Promise.all(procs.map((p) => p.kill()))
  rmSync(dir, { recursive: true, force: true })
})

async function up(emulatorPort: number): Promise<Proc> {
  const proc = startProcess(
    [
      'up',
      '--data-dir',
      join(dir, 'data'),
      '--port',
      String(await freePort()),
      '--emulator-azure-port',
      '0',
      '--emulator-gcp-port',
      '0',
    ],
    { KEYLESS_EMULATOR_PORT: String(emulatorPort) },
  )
  procs.push(proc)
  const deadline = Date.now() + 60_000
  while (!proc.output().includes('serving until Ctrl-C')) {
    if (proc.child.exitCode !== null) throw new Error(`keyless up exited:\n${proc.output()}`)
    if (Date.now() > deadline) throw new Error(`keyless up did not start:\n${proc.output()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return proc
}

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: EMULATOR_KEYS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: EMULATOR_KEYS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
}

function setupAws(endpointUrl: string): string {
  const result = spawnSync(
    process.execPath,
    [
      ...keylessArgs,
      ...['setup', 'aws', '--organization', 'org_upstate', '--role-name', 'kept-role'],
      ...['--issuer', 'http://127.0.0.1:8080', '--account-id', ACCOUNT],
      ...['--apply', '--endpoint-url', endpointUrl],
    ],
    {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, ...AWS_ENV },
      encoding: 'utf8',
    },
  )
  if (result.status !== 0) throw new Error(`setup aws failed:\n${result.stdout}${result.stderr}`)
  return result.stdout
}

describe('keyless up keeps the emulator state', () => {
  it('a role created with setup aws --apply survives a restart', async () => {
    const emulatorPort = await freePort()
    const endpoint = `http://127.0.0.1:${emulatorPort}`
    const first = await up(emulatorPort)
    expect(first.output()).toContain(`AWS emulator:   ${endpoint}`)
    expect(setupAws(endpoint)).toContain(`role ARN: arn:aws:iam::${ACCOUNT}:role/kept-role`)
    await first.kill()
    expect(existsSync(join(dir, 'data', 'emulator.db'))).toBe(true)

    const second = await up(emulatorPort)
    expect(second.output()).toContain('emulator.db')
    const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: EMULATOR_KEYS })
    const role = await iam.send(new GetRoleCommand({ RoleName: 'kept-role' }))
    expect(role.Role?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/kept-role`)
    iam.destroy()
  }, 150_000)
})
