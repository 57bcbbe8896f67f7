/**
 * Whether a database error is a unique-constraint violation, on either dialect: SQLite's
 * `SQLITE_CONSTRAINT_UNIQUE` (better-sqlite3) or PostgreSQL's SQLSTATE `23505` (pg). `index`
 * narrows it to one index, by name (PostgreSQL's `constraint`) or by column (SQLite's message).
 */
export function isUniqueViolation(
  error: unknown,
  index?: { readonly name: string; readonly column: string },
): boolean {
  if (typeof error !== 'object' || error === null) return false
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown }
  if (e.code === '23505') return index === undefined || e.constraint === index.name
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return (
      index === undefined ||
      (typeof e.message === 'string' && e.message.includes(`.${index.column}`))
    )
  return false
}
