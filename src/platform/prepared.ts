import { CompiledQuery, type Compilable } from 'kysely'
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
 */
export function prepared<R>(
  build: (db: Tx, slot: (index: number) => string) => Compilable<R>,
): (db: Tx, args: readonly unknown[], compileWith?: Tx) => Promise<R[]> {
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
  return async (db, args, compileWith = db) => {
    const template = templateFor(compileWith)
    const parameters = template.parameters.map((p, i) => {
      const slot = template.slots[i]
      return slot === undefined ? p : args[slot]
    })
    const result = await db.executeQuery<R>(CompiledQuery.raw(template.sql, parameters))
    return result.rows
  }
}

/** Every column of a row type, checked by the compiler (a missing or unknown one fails). */
export type Columns<R> = { readonly [K in keyof R]-?: true }
export function columns<R>(all: Columns<R>): ReadonlyArray<keyof R & string> {
  return Object.keys(all) as Array<keyof R & string>
}
