import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import type { Pool } from 'pg'
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type MigrationProvider,
  type SqliteDatabase,
} from 'kysely'
import { KeylessError } from '../shared/errors.js'
import { listenChannel, type ChannelHandlers, type ChannelListener } from './listener.js'
import { migrations } from './migrations/index.js'
import type { Database } from './schema.js'

export type Dialect = 'sqlite' | 'postgres'

/**
 * Runs a read synchronously on SQLite's one connection, as Kysely's SQLite driver would run it
 * (the same statement, the same rows), without Kysely's connection and promise machinery. Answers
 * undefined when it cannot: the statement writes, or a transaction is open on the connection (a
 * read there would see another caller's uncommitted rows; Kysely queues it until the transaction
 * ends instead). PostgreSQL has none: its reads keep the Kysely path.
 */
export interface SyncReader {
  all(sql: string, parameters: readonly unknown[]): unknown[] | undefined
  /** The same read with its rows as arrays of the columns' values (better-sqlite3 `raw()`). */
  tuples(sql: string, parameters: readonly unknown[]): Tuples | undefined
  /**
   * Runs the statements in one transaction (BEGIN … COMMIT, rolled back and rethrown on an
   * error) in one synchronous call, as Kysely's driver would run each; false, having run nothing,
   * while another transaction is open on the connection.
   */
  transaction(statements: ReadonlyArray<CompiledStatement>): boolean
}

export interface CompiledStatement {
  readonly sql: string
  readonly parameters: readonly unknown[]
}

/** Rows as arrays, in the order of `columns` (the same array for every run of a statement). */
export interface Tuples {
  readonly columns: readonly string[]
  readonly rows: ReadonlyArray<readonly unknown[]>
}

/** The synchronous reader of a store's root database (never of a transaction), if it has one. */
const syncReaders = new WeakMap<Kysely<Database>, SyncReader>()
export function syncReaderOf(db: object): SyncReader | undefined {
  return syncReaders.get(db as Kysely<Database>)
}

export interface Store {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** Where the data lives, without credentials (for logs). */
  readonly location: string
  /** PostgreSQL schema in use, when one was given. */
  readonly schema?: string
  /** Resolves when the database answers a trivial query within `timeoutMs`; rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>
  /**
   * PostgreSQL only: `LISTEN channel` on a dedicated connection, kept up across cuts
   * (src/store/listener.ts). SQLite has one process and no need of it.
   */
  listen?(channel: string, handlers: ChannelHandlers): ChannelListener
  close(): Promise<void>
}

export interface OpenStoreOptions {
  /** `postgres://…` or a SQLite file path (`:memory:` for tests). */
  readonly url: string
  /** PostgreSQL schema to use (created if missing); tests give each run its own. */
  readonly schema?: string
  /** Run migrations (default true). */
  readonly migrate?: boolean
  readonly poolSize?: number
  /**
   * Told about connections the database dropped (`pg_terminate_backend`, a failover, a restart).
   * The pool discards them and opens new ones on demand; the process never exits for it.
   */
  readonly onConnectionError?: (error: Error) => void
}

const MIGRATION_LOCK_ID = 7_042_001

/** `application_name` of the listening connection, as pg_stat_activity shows it. */
export const LISTENER_APPLICATION_NAME = 'keyless-queue-listener'

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://')
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = '***'
    return u.toString()
  } catch {
    return 'postgres://…'
  }
}

/** Opens the store (SQLite in WAL mode, or PostgreSQL) and runs migrations. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = isPostgresUrl(options.url) ? await openPostgres(options) : openSqlite(options)
  if (options.migrate !== false) {
    try {
      await migrateStore(store)
    } catch (error) {
      await store.close()
      throw error
    }
  }
  return store
}

function openSqlite(options: OpenStoreOptions): Store {
  if (options.url !== ':memory:') mkdirSync(dirname(options.url), { recursive: true })
  const sqlite = new SQLite(options.url)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const statements = cachingStatements(sqlite)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) })
  syncReaders.set(db, syncReader(sqlite, statements))
  return {
    db,
    dialect: 'sqlite',
    location: options.url,
    ping: async () => {
      await sql`SELECT 1`.execute(db)
    },
    close: () => db.destroy(),
  }
}

function syncReader(sqlite: SQLite.Database, statements: CachingStatements): SyncReader {
  // raw() is a mode of the statement: the array form has statements of its own, never Kysely's.
  const raw = new Map<string, { statement: SQLite.Statement; columns: readonly string[] }>()
  return {
    all(text, parameters) {
      if (sqlite.inTransaction) return undefined
      const statement = statements.statement(text)
      // As Kysely's SqliteConnection runs a reader: the parameters as one array, rows as given.
      return statement.reader ? statement.all(parameters) : undefined
    },
    tuples(text, parameters) {
      if (sqlite.inTransaction) return undefined
      let found = raw.get(text)
      if (found === undefined) {
        const statement = sqlite.prepare(text)
        if (!statement.reader) return undefined
        if (raw.size >= 100) raw.clear()
        found = { statement: statement.raw(true), columns: statement.columns().map((c) => c.name) }
        raw.set(text, found)
      }
      return { columns: found.columns, rows: found.statement.all(parameters) as unknown[][] }
    },
    transaction(list) {
      if (sqlite.inTransaction) return false
      sqlite.transaction(() => {
        for (const s of list) statements.statement(s.sql).run(s.parameters)
      })()
      return true
    },
  }
}

interface CachingStatements extends SqliteDatabase {
  statement(text: string): SQLite.Statement
}

/**
 * better-sqlite3 compiles a statement on every `prepare`, which Kysely calls for every query;
 * compiling costs more than running a small query. Statements are reusable (Kysely runs one
 * query at a time per connection), so they are kept by SQL text, up to a bound.
 */
function cachingStatements(sqlite: SQLite.Database): CachingStatements {
  const cache = new Map<string, SQLite.Statement>()
  const statement = (text: string): SQLite.Statement => {
    let found = cache.get(text)
    if (found === undefined) {
      if (cache.size >= 1000) cache.clear()
      found = sqlite.prepare(text)
      cache.set(text, found)
    }
    return found
  }
  return { close: () => sqlite.close(), prepare: statement, statement }
}

async function openPostgres(options: OpenStoreOptions): Promise<Store> {
  const schema = options.schema
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/u.test(schema)) {
    throw new KeylessError(
      'config_invalid',
      `invalid PostgreSQL schema name ${JSON.stringify(schema)}`,
    )
  }
  // Loaded on demand: a SQLite installation never pays for the PostgreSQL client.
  const { default: pg } = await import('pg')
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  })
  // A connection the server terminates emits 'error' — on the pool while idle, on the client
  // while checked out. Unheard, either event would end the process; the pool already drops the
  // client and the query in flight (if any) fails with the error, so both are only reported.
  const report = (error: Error): void => options.onConnectionError?.(error)
  pool.on('error', report)
  pool.on('connect', (client) => client.on('error', report))
  try {
    const client = await pool.connect()
    try {
      if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    } finally {
      client.release()
    }
  } catch (error) {
    await pool.end()
    throw new KeylessError(
      'upstream_unreachable',
      `cannot connect to PostgreSQL at ${redactUrl(options.url)}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    dialect: 'postgres',
    location: redactUrl(options.url) + (schema === undefined ? '' : ` (schema ${schema})`),
    ...(schema === undefined ? {} : { schema }),
    ping: (timeoutMs = 2000) => pingPostgres(pool, timeoutMs),
    listen: (channel, handlers) =>
      listenChannel(
        () =>
          new pg.Client({
            connectionString: options.url,
            application_name: LISTENER_APPLICATION_NAME,
            keepAlive: true,
          }),
        channel,
        handlers,
      ),
    close: () => db.destroy(),
  }
}

/** `SELECT 1` on a pooled connection, bounded in time (a dead server may not answer at all). */
async function pingPostgres(pool: Pool, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new KeylessError('upstream_unreachable', 'PostgreSQL did not answer in time')),
      timeoutMs,
    )
  })
  try {
    await Promise.race([pool.query('SELECT 1'), timeout])
  } finally {
    clearTimeout(timer)
  }
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...migrations }) }

/**
 * Runs pending migrations. On PostgreSQL, under an advisory lock held on one connection, so that
 * several replicas starting together do not race.
 */
export async function migrateStore(store: Store): Promise<void> {
  const run = async (db: Kysely<Database>): Promise<void> => {
    // Kysely looks for its migration tables in every schema unless told which one: with several
    // schemas in one database (tests, side-by-side installations) it would find another's.
    const { error, results } = await new Migrator({
      db,
      provider,
      // 0005 landed after 0006 (numbers were reserved per feature): a database at 0006 still
      // gets 0005. Migrations are independent of each other's order beyond their numbers.
      allowUnorderedMigrations: true,
      ...(store.schema === undefined ? {} : { migrationTableSchema: store.schema }),
    }).migrateToLatest()
    if (error !== undefined) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
      throw new KeylessError(
        'internal_error',
        `database migration ${failed} failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      )
    }
  }
  if (store.dialect === 'sqlite') {
    await run(store.db)
    return
  }
  await store.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(conn)
    try {
      await run(conn)
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(conn)
    }
  })
}
