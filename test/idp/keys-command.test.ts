import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { register } from '../../src/cli/commands/keys.js'
import { createIdentityProvider, loadMasterKey } from '../../src/idp/index.js'
import { systemClock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import { openStore } from '../../src/store/database.js'

/** Runs `keyless keys …` in-process and returns what it printed. */
async function keys(...args: string[]): Promise<string> {
  const program = new Command('keyless').exitOverride()
  register(program)
  let out = ''
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk)
    return true
  })
  try {
    await program.parseAsync(['keys', ...args], { from: 'user' })
  } finally {
    spy.mockRestore()
  }
  return out
}

describe('keyless keys list|rotate', () => {
  let dir: string
  let firstKid: string

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyless-keys-'))
    // What `keyless server` leaves behind on first start: a database with one key, master.key.
    const store = await openStore({ url: join(dir, 'keyless.db') })
    const idp = await createIdentityProvider({
      issuerUrl: 'http://127.0.0.1:8080',
      store,
      masterKey: await loadMasterKey({ dataDir: dir }),
      clock: systemClock,
      logger: silentLogger(),
      signingAlg: 'RS256',
      tokenTtlSeconds: 600,
      keyPrepublishSeconds: 3600,
    })
    firstKid = (await idp.listKeys())[0]?.kid ?? ''
    await idp.close()
    await store.close()
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('lists the keys with their states', async () => {
    const text = await keys('list', '--data-dir', dir)
    expect(text.split('\n')[0]).toMatch(/^KID\s+ALG\s+STATE\s+CREATED\s+SIGNS FROM/u)
    expect(text).toMatch(new RegExp(`^${firstKid}\\s+RS256\\s+active\\s`, 'mu'))
  })

  it('rotates in a pending key that signs after the window, and lists both', async () => {
    const rotated = JSON.parse(
      await keys('rotate', '--data-dir', dir, '--prepublish', '120', '--json'),
    ) as {
      key: { kid: string; state: string; activatesAt: string; createdAt: string }
    }
    expect(rotated.key.state).toBe('pending')
    expect(Date.parse(rotated.key.activatesAt) - Date.parse(rotated.key.createdAt)).toBe(120_000)
    const listed = JSON.parse(await keys('list', '--data-dir', dir, '--json')) as {
      keys: Array<{ kid: string; state: string }>
    }
    expect(listed.keys.map((k) => [k.kid, k.state])).toEqual([
      [firstKid, 'active'],
      [rotated.key.kid, 'pending'],
    ])
    const text = await keys('rotate', '--data-dir', dir, '--signing-alg', 'ES256')
    expect(text).toMatch(/^added signing key \S+ \(ES256\): published now, signs from /u)
  })

  it('refuses a pre-publication window shorter than the time replicas take to see a new key', async () => {
    // Shorter, a replica that picked the key up could sign while another's JWKS lacks it.
    await expect(keys('rotate', '--data-dir', dir, '--prepublish', '9')).rejects.toThrow(
      /must be an integer from 10 to/u,
    )
    const listed = JSON.parse(await keys('list', '--data-dir', dir, '--json')) as {
      keys: unknown[]
    }
    expect(listed.keys).toHaveLength(1)
    const rotated = JSON.parse(
      await keys('rotate', '--data-dir', dir, '--prepublish', '10', '--json'),
    ) as { key: { activatesAt: string; createdAt: string } }
    expect(Date.parse(rotated.key.activatesAt) - Date.parse(rotated.key.createdAt)).toBe(10_000)
  })

  it('refuses a data directory without a database, and a wrong master key', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'keyless-keys-empty-'))
    try {
      await expect(keys('list', '--data-dir', empty)).rejects.toThrow(/no database at/)
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
    vi.stubEnv('KEYLESS_MASTER_KEY', '11'.repeat(32))
    try {
      await expect(keys('rotate', '--data-dir', dir)).rejects.toMatchObject({
        code: 'key_decryption_failed',
      })
    } finally {
      vi.unstubAllEnvs()
    }
    const listed = JSON.parse(await keys('list', '--data-dir', dir, '--json')) as {
      keys: unknown[]
    }
    expect(listed.keys).toHaveLength(1)
  })
})
