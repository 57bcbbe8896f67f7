import { CompiledQuery, type Compilable, type Kysely } from 'kysely'
import type { Database } from '../store/schema.js'
import { syncReaderOf, type CompiledStatement, type Tuples } from '../store/database.js'
import type { Tx } from './context.js'

/** Marks a parameter of a prepared query's template; replaced by the argument of that index. */
const SLOT = '\u0000keyless-slot:'

interface Template {
  readonly sql: string
  readonly parameters: readonly unknown[]
  /** For each parameter, the index of the argument it takes, or undefined (a constant). */
  readonly slots: ReadonlyArray<number | undefined>
}

/**
 * A query built and compiled once per database (Kysely builds and compiles on every call, which
 * costs more than SQLite takes to run a small indexed query), then run with fresh arguments.
 * `build` receives `slot(i)` to use where the i-th argument goes; every other value stays a
 * constant of the query. `compileWith` (the root database) lets a transaction reuse the template.
 * A read on SQLite's root database runs synchronously on its connection when no transaction holds
 * it (src/store/database.ts `SyncReader`: the same SQL and rows, without Kysely's promise chain);
 * in a transaction, on PostgreSQL, and for writes, Kysely runs it.
 */
export interface Prepared<R> {
  (db: Tx, args: readonly unknown[], compileWith?: Tx): Promise<R[]>
  /**
   * The same read with its rows as arrays (for a wide row taken apart by position: building an
   * object of ~90 properties per row costs more than running the query).
   */
  tuples(db: Tx, args: readonly unknown[]): Promise<Tuples>
  /** The SQL and parameters it runs with these arguments (compiled for `db`). */
  compiled(db: Tx, args: readonly unknown[]): CompiledStatement
}

/** A prepared query with its arguments: one statement of a batch written together. */
export interface Statement {
  readonly query: Prepared<unknown>
  readonly args: readonly unknown[]
}

/**
 * Runs the statements in one transaction: synchronously on SQLite's connection when no other
 * transaction holds it (src/store/database.ts `SyncReader.transaction`), else through Kysely's
 * `transaction` (PostgreSQL, or SQLite while another transaction is open).
 */
export async function runInTransaction(
  db: Kysely<Database>,
  statements: readonly Statement[],
): Promise<void> {
  const sync = syncReaderOf(db)
  if (sync?.transaction(statements.map((s) => s.query.compiled(db, s.args))) === true) return
  await db.transaction().execute(async (trx) => {
    for (const s of statements) await s.query(trx, s.args, db)
  })
}

export function prepared<R>(
  build: (db: Tx, slot: (index: number) => string) => Compilable<R>,
): Prepared<R> {
  const templates = new WeakMap<Tx, Template>()
  function templateFor(db: Tx): Template {
    let template = templates.get(db)
    if (template === undefined) {
      const compiled = build(db, (index) => `${SLOT}${index}`).compile()
      template = {
        sql: compiled.sql,
        parameters: compiled.parameters,
        slots: compiled.parameters.map((p) =>
          typeof p === 'string' && p.startsWith(SLOT) ? Number(p.slice(SLOT.length)) : undefined,
        ),
      }
      templates.set(db, template)
    }
    return template
  }
  function parametersOf(template: Template, args: readonly unknown[]): unknown[] {
    return template.parameters.map((p, i) => {
      const slot = template.slots[i]
      return slot === undefined ? p : args[slot]
    })
  }
  const run = async (db: Tx, args: readonly unknown[], compileWith = db): Promise<R[]> => {
    const template = templateFor(compileWith)
    const parameters = parametersOf(template, args)
    const rows = syncReaderOf(db)?.all(template.sql, parameters)
    if (rows !== undefined) return rows as R[]
    const result = await db.executeQuery<R>(CompiledQuery.raw(template.sql, parameters))
    return result.rows
  }
  const tuples = async (db: Tx, args: readonly unknown[]): Promise<Tuples> => {
    const template = templateFor(db)
    const parameters = parametersOf(template, args)
    const direct = syncReaderOf(db)?.tuples(template.sql, parameters)
    if (direct !== undefined) return direct
    const { rows } = await db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(template.sql, parameters),
    )
    const columns = sameColumns(rows[0] === undefined ? [] : Object.keys(rows[0]))
    return { columns, rows: rows.map((row) => columns.map((c) => row[c])) }
  }
  // The columns of the Kysely path, as one array while they stay the same (see `Tuples`).
  let known: readonly string[] = []
  function sameColumns(columns: readonly string[]): readonly string[] {
    if (columns.length !== known.length || columns.some((c, i) => c !== known[i])) known = columns
    return known
  }
  const compiled = (db: Tx, args: readonly unknown[]): CompiledStatement => {
    const template = templateFor(db)
    return { sql: template.sql, parameters: parametersOf(template, args) }
  }
  return Object.assign(run, { tuples, compiled })
}

/** Every column of a row type, checked by the compiler (a missing or unknown one fails). */
export type Columns<R> = { readonly [K in keyof R]-?: true }
export function columns<R>(all: Columns<R>): ReadonlyArray<keyof R & string> {
  return Object.keys(all) as Array<keyof R & string>
}
