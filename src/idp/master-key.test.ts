import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../shared/errors.js'
import { loadMasterKey, parseMasterKey } from './master-key.js'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-master-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('parseMasterKey', () => {
  const bytes = randomBytes(32)
  it.each([
    ['hex', bytes.toString('hex')],
    ['HEX', bytes.toString('hex').toUpperCase()],
    ['base64', bytes.toString('base64')],
    ['base64url', bytes.toString('base64url')],
    ['base64 with a newline', `${bytes.toString('base64')}\n`],
  ])('accepts %s', (_, text) => {
    expect(parseMasterKey(text)?.equals(bytes)).toBe(true)
  })
  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['63 hex digits', bytes.toString('hex').slice(1)],
    ['not base64', 'this is not a key!'],
    ['empty', ''],
  ])('refuses %s', (_, text) => {
    expect(parseMasterKey(text)).toBeUndefined()
  })
})

describe('loadMasterKey', () => {
  it('uses KEYLESS_MASTER_KEY when given and writes no file', async () => {
    const dir = tempDir()
    const bytes = randomBytes(32)
    const key = await loadMasterKey({ dataDir: dir, masterKey: bytes.toString('hex') })
    expect(key.equals(bytes)).toBe(true)
    expect(() => statSync(join(dir, 'master.key'))).toThrow()
  })

  it('refuses a wrong-length KEYLESS_MASTER_KEY with a config error that does not echo it', async () => {
    const value = randomBytes(16).toString('hex')
    const error = await loadMasterKey({ dataDir: tempDir(), masterKey: value }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).code).toBe('config_invalid')
    expect((error as Error).message).toMatch(/KEYLESS_MASTER_KEY: must be 32 bytes/)
    expect((error as Error).message).not.toContain(value)
  })

  it('creates <data-dir>/master.key with mode 0600 on first start and reads it afterwards', async () => {
    const dir = join(tempDir(), 'nested')
    const first = await loadMasterKey({ dataDir: dir })
    const file = join(dir, 'master.key')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(first.length).toBe(32)
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first)).toBe(true)
    const again = await loadMasterKey({ dataDir: dir })
    expect(again.equals(first)).toBe(true)
  })

  it('refuses a master.key of the wrong length', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'master.key'), randomBytes(20).toString('base64'))
    await expect(loadMasterKey({ dataDir: dir })).rejects.toThrow(/master\.key: must hold 32 bytes/)
  })
})

describe('loadMasterKey without creating', () => {
  it('refuses a missing master.key when told not to create one', async () => {
    const dir = tempDir()
    await expect(loadMasterKey({ dataDir: dir, create: false })).rejects.toThrow(
      /master\.key does not exist/,
    )
    expect(() => statSync(join(dir, 'master.key'))).toThrow()
  })
})
