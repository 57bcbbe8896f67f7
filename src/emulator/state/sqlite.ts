import Database from 'better-sqlite3'
import type { Collection, EmulatorState, SessionRecord } from './types.js'

/**
 * State in a SQLite file (`--state FILE`): providers, roles, sessions and the other clouds'
 * directories survive restarts. One
 * table of JSON documents keyed by (kind, key); sessions carry their expiry for purging.
 */
export function sqliteState(file: string): EmulatorState {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.exec(`CREATE TABLE IF NOT EXISTS emulator_entity (
    kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, expires_at INTEGER,
    PRIMARY KEY (kind, key))`)
  const get = db.prepare<[string, string], { value: string }>(
    'SELECT value FROM emulator_entity WHERE kind = ? AND key = ?',
  )
  const put = db.prepare<[string, string, string, number | null]>(
    'INSERT OR REPLACE INTO emulator_entity (kind, key, value, expires_at) VALUES (?, ?, ?, ?)',
  )
  const del = db.prepare<[string, string]>('DELETE FROM emulator_entity WHERE kind = ? AND key = ?')
  const list = db.prepare<[string], { value: string }>(
    'SELECT value FROM emulator_entity WHERE kind = ? ORDER BY key',
  )
  const purge = db.prepare<[number]>(
    "DELETE FROM emulator_entity WHERE kind = 'session' AND expires_at < ?",
  )

  function collection<T>(kind: string, expiry?: (value: T) => number): Collection<T> {
    return {
      get: (key) => {
        const row = get.get(kind, key)
        return row === undefined ? undefined : (JSON.parse(row.value) as T)
      },
      put: (key, value) => {
        put.run(kind, key, JSON.stringify(value), expiry === undefined ? null : expiry(value))
      },
      delete: (key) => del.run(kind, key).changes > 0,
      list: () => list.all(kind).map((r) => JSON.parse(r.value) as T),
    }
  }

  return {
    providers: collection('provider'),
    roles: collection('role'),
    sessions: collection<SessionRecord>('session', (s) => s.expiresAt),
    documents: collection('document'),
    purgeExpiredSessions(nowMs) {
      purge.run(nowMs)
    },
    transaction<T>(fn: () => T): T {
      if (db.inTransaction) return fn()
      return db.transaction(fn)()
    },
    close() {
      db.close()
    },
  }
}
