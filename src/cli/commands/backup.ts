import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { loadConfig, serverOptions } from '../../shared/config/index.js'
import { KeylessError } from '../../shared/errors.js'
import { backupSqlite, restoreSqlite } from '../../store/backup.js'
import { isPostgresUrl } from '../../store/database.js'

interface BackupFlags {
  readonly dataDir?: string
  readonly database?: string
  readonly to?: string
  readonly from?: string
}

/** `keyless backup --to FILE` and `keyless restore --from FILE`: the embedded SQLite database. */
export function register(program: Command): void {
  withStore(program.command('backup'))
    .description('Copy the SQLite database to FILE (online: the server may keep running)')
    .requiredOption('--to <file>', 'where the backup goes (written 0600)')
    .action((flags: BackupFlags) => backup(flags))
  withStore(program.command('restore'))
    .description(
      'Put a backup in place of the SQLite database (the server must be stopped); the replaced database is kept as <database>.before-restore',
    )
    .requiredOption('--from <file>', 'a file written by keyless backup')
    .action((flags: BackupFlags) => restore(flags))
}

function withStore(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'data directory of the server (default KEYLESS_DATA_DIR or ./.keyless)',
    )
    .option('--database <file>', 'SQLite file (default <data-dir>/keyless.db)')
}

function databaseOf(flags: BackupFlags): string {
  const config = loadConfig(serverOptions, {
    flags: { dataDir: flags.dataDir, database: flags.database },
  })
  const url = config.database ?? join(config.dataDir, 'keyless.db')
  if (isPostgresUrl(url))
    throw new KeylessError(
      'usage_error',
      'keyless backup and restore cover the embedded SQLite database; back up PostgreSQL with pg_dump (docs/operations.md)',
    )
  return resolve(url)
}

async function backup(flags: BackupFlags): Promise<void> {
  const database = databaseOf(flags)
  const to = resolve(flags.to ?? '')
  const { bytes } = await backupSqlite(database, to)
  process.stdout.write(
    `backed up ${database} to ${to} (${bytes} bytes); keep the master key apart from it\n`,
  )
}

function restore(flags: BackupFlags): void {
  const database = databaseOf(flags)
  const from = resolve(flags.from ?? '')
  const { previous } = restoreSqlite(from, database)
  process.stdout.write(
    `restored ${database} from ${from}${previous === null ? '' : `; the previous database is ${previous}`}\n`,
  )
}
