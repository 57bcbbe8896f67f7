import { chmodSync, copyFileSync, existsSync, renameSync, rmSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import { KeylessError } from '../shared/errors.js'
import { serverHolding } from './server-lock.js'

/**
 * Backup and restore of the embedded SQLite database (docs/operations.md). A backup is taken
 * with SQLite's online backup API, consistent while a server keeps writing; it holds what the
 * database holds (signing keys encrypted under the master key, secrets hashed or sealed) but not
 * the master key, which must be kept apart.
 */
export async function backupSqlite(
  database: string,
  to: string,
): Promise<{ readonly bytes: number }> {
  if (!existsSync(database))
    throw new KeylessError('input_unreadable', `no SQLite database at ${database}`)
  const source = new SQLite(database, { fileMustExist: true })
  const partial = `${to}.partial`
  try {
    source.pragma('busy_timeout = 5000')
    const { totalPages } = await source.backup(partial)
    chmodSync(partial, 0o600)
    renameSync(partial, to)
    return { bytes: totalPages * Number(source.pragma('page_size', { simple: true })) }
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  } finally {
    source.close()
  }
}

/** Refuses a file that is not a sound keyless database. */
function checkBackup(from: string): void {
  let db: SQLite.Database
  try {
    db = new SQLite(from, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw new KeylessError('input_unreadable', `${from} cannot be opened: ${String(error)}`)
  }
  try {
    const ok = db.pragma('integrity_check', { simple: true })
    const migrated = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
      .get()
    if (ok !== 'ok' || migrated === undefined)
      throw new KeylessError('input_unreadable', `${from} is not a keyless database backup`)
  } catch (error) {
    if (error instanceof KeylessError) throw error
    throw new KeylessError('input_unreadable', `${from} is not a SQLite database`)
  } finally {
    db.close()
  }
}

/**
 * Puts a backup in place of the database. Refused while a server runs on it (stop it first);
 * the database replaced is kept as `<database>.before-restore` (its write-ahead log merged in).
 */
export function restoreSqlite(
  from: string,
  database: string,
): { readonly previous: string | null } {
  const pid = serverHolding(database)
  if (pid !== null)
    throw new KeylessError(
      'data_dir_in_use',
      `a keyless server (pid ${pid}) runs on ${database}; stop it before restoring`,
      { pid },
    )
  checkBackup(from)
  let previous: string | null = null
  if (existsSync(database)) {
    const current = new SQLite(database, { fileMustExist: true })
    current.pragma('wal_checkpoint(TRUNCATE)')
    current.close()
    previous = `${database}.before-restore`
    renameSync(database, previous)
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true })
  const partial = `${database}.restoring`
  copyFileSync(from, partial)
  chmodSync(partial, 0o600)
  renameSync(partial, database)
  return { previous }
}
