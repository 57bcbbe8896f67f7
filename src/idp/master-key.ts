import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError } from '../shared/errors.js'

/** The master key is 32 bytes: an AES-256 key. */
export const MASTER_KEY_BYTES = 32

export interface LoadMasterKeyOptions {
  /** Data directory; `master.key` lives there unless `masterKey` is given. */
  readonly dataDir: string
  /** `KEYLESS_MASTER_KEY` / `--master-key`: 32 bytes as base64 (or base64url) or hex. */
  readonly masterKey?: string | undefined
  /** Create `<dataDir>/master.key` when missing (default true; commands that only read say false). */
  readonly create?: boolean
}

/**
 * Parses a master key written as 64 hex digits or as base64/base64url of 32 bytes. Returns
 * undefined when the text is not one of these (the caller says where it came from).
 */
export function parseMasterKey(text: string): Buffer | undefined {
  const t = text.trim()
  if (/^[0-9a-fA-F]{64}$/u.test(t)) return Buffer.from(t, 'hex')
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/u.test(t)) return undefined
  const bytes = Buffer.from(t.replace(/-/gu, '+').replace(/_/gu, '/'), 'base64')
  return bytes.length === MASTER_KEY_BYTES ? bytes : undefined
}

const FORMAT = `${MASTER_KEY_BYTES} bytes written as base64 or as ${MASTER_KEY_BYTES * 2} hex digits`

/**
 * The master key that seals signing keys at rest: `masterKey` when given (from
 * `KEYLESS_MASTER_KEY`), else `<dataDir>/master.key`, created with mode 0600 on first start.
 * A key of the wrong length or format is a configuration error (the value is never echoed).
 */
export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<Buffer> {
  if (options.masterKey !== undefined) {
    const key = parseMasterKey(options.masterKey)
    if (key === undefined) throw new ConfigError([`KEYLESS_MASTER_KEY: must be ${FORMAT}`])
    return key
  }
  const file = join(options.dataDir, 'master.key')
  const existing = await readIfExists(file)
  if (existing !== undefined) {
    const key = parseMasterKey(existing)
    if (key === undefined) throw new ConfigError([`${file}: must hold ${FORMAT}`])
    return key
  }
  if (options.create === false)
    throw new ConfigError([
      `${file} does not exist: set KEYLESS_MASTER_KEY or point --data-dir at the server's data directory`,
    ])
  await mkdir(options.dataDir, { recursive: true })
  const key = randomBytes(MASTER_KEY_BYTES)
  try {
    // `wx`: never overwrite a key another process wrote a moment ago.
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
    return key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return loadMasterKey(options)
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
