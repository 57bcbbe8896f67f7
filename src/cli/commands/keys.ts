import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { createIdentityProvider, loadMasterKey, type SigningKeyInfo } from '../../idp/index.js'
import { systemClock } from '../../shared/clock.js'
import { loadConfig, serverOptions } from '../../shared/config/index.js'
import { KeylessError } from '../../shared/errors.js'
import { createLogger } from '../../shared/logger.js'
import { isPostgresUrl, openStore } from '../../store/database.js'

export interface KeysFlags {
  readonly issuerUrl?: string
  readonly dataDir?: string
  readonly database?: string
  readonly json?: boolean
  readonly prepublish?: string
  readonly signingAlg?: string
}

/** `keyless keys list|rotate`: the signing-key lifecycle, against the server's database. */
export function register(program: Command): void {
  const keys = program
    .command('keys')
    .description('Signing-key lifecycle: list the keys and their states, rotate in a new key')
  withStoreOptions(keys.command('list'))
    .description('List signing keys: pending, active, retiring (still published) and retired')
    .option('--json', 'print JSON')
    .action((flags: KeysFlags) => list(flags))
  withStoreOptions(keys.command('rotate'))
    .description(
      'Add a new signing key: published at once, signing after the pre-publication window. ' +
        'Running servers pick it up within 10 seconds.',
    )
    .option(
      '--prepublish <seconds>',
      'pre-publication window, at least 10 (default KEYLESS_KEY_PREPUBLISH or 3600)',
    )
    .option('--signing-alg <alg>', 'RS256 or ES256 (default KEYLESS_SIGNING_ALG or RS256)')
    .option('--json', 'print JSON')
    .action((flags: KeysFlags) => rotate(flags))
}

export function withStoreOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'data directory of the server (default KEYLESS_DATA_DIR or ./.keyless)',
    )
    .option('--database <url>', 'postgres:// URL or SQLite file (default <data-dir>/keyless.db)')
}

/**
 * The server's options as `keyless keys` takes them: its window flag is `--prepublish`, so that a
 * problem with it names the flag that was given (the variable stays KEYLESS_KEY_PREPUBLISH).
 */
const keysOptions = {
  ...serverOptions,
  keyPrepublishSeconds: { ...serverOptions.keyPrepublishSeconds, flag: '--prepublish' },
}

export async function openProvider(flags: KeysFlags, createFirstKey: boolean) {
  const config = loadConfig(keysOptions, {
    flags: {
      issuerUrl: flags.issuerUrl,
      dataDir: flags.dataDir,
      database: flags.database,
      signingAlg: flags.signingAlg,
      keyPrepublishSeconds: flags.prepublish,
    },
  })
  const url = config.database ?? join(config.dataDir, 'keyless.db')
  if (!isPostgresUrl(url) && !existsSync(url))
    throw new KeylessError(
      'usage_error',
      `no database at ${url}: point --data-dir or --database at the server's database`,
    )
  const masterKey = await loadMasterKey({
    dataDir: config.dataDir,
    masterKey: config.masterKey,
    create: false,
  })
  const store = await openStore({ url })
  try {
    const idp = await createIdentityProvider({
      issuerUrl: config.issuerUrl,
      store,
      masterKey,
      clock: systemClock,
      logger: createLogger({ level: 'warn', name: 'keyless-keys' }, process.stderr),
      signingAlg: config.signingAlg === 'ES256' ? 'ES256' : 'RS256',
      tokenTtlSeconds: config.tokenTtlSeconds,
      keyPrepublishSeconds: config.keyPrepublishSeconds,
      createFirstKey,
    })
    return {
      idp,
      close: async (): Promise<void> => {
        await idp.close()
        await store.close()
      },
    }
  } catch (error) {
    await store.close()
    throw error
  }
}

async function list(flags: KeysFlags): Promise<void> {
  const { idp, close } = await openProvider(flags, false)
  try {
    const keys = await idp.listKeys()
    if (flags.json === true) {
      process.stdout.write(`${JSON.stringify({ keys }, null, 2)}\n`)
      return
    }
    if (keys.length === 0) {
      process.stdout.write('no signing keys yet (the server creates the first on start)\n')
      return
    }
    process.stdout.write(formatTable(keys))
  } finally {
    await close()
  }
}

async function rotate(flags: KeysFlags): Promise<void> {
  const { idp, close } = await openProvider(flags, false)
  try {
    const key = await idp.rotate()
    if (flags.json === true) {
      process.stdout.write(`${JSON.stringify({ key }, null, 2)}\n`)
      return
    }
    const signs =
      key.state === 'active'
        ? 'signs now (first key)'
        : `signs from ${key.activatesAt.toISOString()}`
    process.stdout.write(
      `added signing key ${key.kid} (${key.alg}): published now, ${signs}.\n` +
        'Running servers pick it up within 10 seconds; the previous key stays published until ' +
        'every token it signed has expired.\n',
    )
  } finally {
    await close()
  }
}

function formatTable(keys: readonly SigningKeyInfo[]): string {
  const time = (d: Date | null): string => (d === null ? '-' : d.toISOString())
  const rows = [
    ['KID', 'ALG', 'STATE', 'CREATED', 'SIGNS FROM', 'SUPERSEDED', 'UNPUBLISHED'],
    ...keys.map((k) => [
      k.kid,
      k.alg,
      k.state,
      time(k.createdAt),
      time(k.activatesAt),
      time(k.supersededAt),
      time(k.unpublishAt),
    ]),
  ]
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n')
}
