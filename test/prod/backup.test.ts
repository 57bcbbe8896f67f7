/**
 * `keyless backup` while the server runs, `keyless restore` refused while it runs and done after
 * it stopped: the restored server has exactly what the backup had (organizations, the owner
 * key, the signing keys), and a file that is not a keyless database is refused.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keylessArgs } from '../support/cli.js'
import { startCluster, type Cluster } from './support/cluster.js'

function keyless(...args: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [...keylessArgs, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: tmpdir() },
    timeout: 60_000,
  })
  return { status: run.status, out: `${run.stdout}${run.stderr}` }
}

describe('keyless backup and restore (SQLite)', () => {
  let cluster: Cluster
  let dataDir: string

  beforeAll(async () => {
    cluster = await startCluster({ replicas: 1 })
    dataDir = join(cluster.dir, 'replica-0')
  }, 90_000)
  afterAll(async () => {
    await cluster?.stop()
  })

  it('backs up online, refuses to restore under a server, restores after it stopped', async () => {
    const [server] = cluster.replicas
    if (server === undefined) throw new Error('one replica expected')
    const jwks = async (): Promise<unknown> =>
      (await fetch(`${server.url}/.well-known/jwks.json`)).json()
    const before = await cluster.api(0, 'POST', '/api/v1/organizations', { name: 'before' })
    const keysBefore = await jwks()
    const file = join(cluster.dir, 'keyless-backup.db')

    const backup = keyless('backup', '--data-dir', dataDir, '--to', file)
    expect(backup).toMatchObject({ status: 0 })
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const after = await cluster.api(0, 'POST', '/api/v1/organizations', { name: 'after' })

    const refused = keyless('restore', '--data-dir', dataDir, '--from', file)
    expect(refused.status).toBe(1)
    expect(refused.out).toContain(`a keyless server (pid ${server.proc.child.pid})`)

    await server.kill('SIGTERM')
    expect(server.proc.child.exitCode).toBe(0)
    const restored = keyless('restore', '--data-dir', dataDir, '--from', file)
    expect(restored).toMatchObject({ status: 0 })
    expect(existsSync(join(dataDir, 'keyless.db.before-restore'))).toBe(true)
    await server.restart()

    expect((await cluster.api(0, 'GET', `/api/v1/organizations/${before.id}`)).name).toBe('before')
    const gone = await fetch(`${server.url}/api/v1/organizations/${after.id}`, {
      headers: { authorization: `Bearer ${cluster.adminKey}` },
    })
    expect(gone.status).toBe(404)
    expect(await jwks()).toEqual(keysBefore)
  }, 120_000)

  it('refuses a file that is not a keyless database', () => {
    const junk = join(cluster.dir, 'junk.db')
    writeFileSync(junk, 'not a database')
    const dir = join(cluster.dir, 'elsewhere')
    const res = keyless('restore', '--data-dir', dir, '--from', junk)
    expect(res.status).toBe(2)
    expect(res.out).toMatch(/not a SQLite database|cannot be opened/u)
    expect(existsSync(join(dir, 'keyless.db'))).toBe(false)
  }, 60_000)
})
