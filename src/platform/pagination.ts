import { sql, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
import { DEFAULT_LIMIT, MAX_LIMIT } from '../shared/contracts/pagination.js'
import { ValidationFailed } from '../shared/errors.js'

export {
  DEFAULT_LIMIT,
  listQuerySchema,
  MAX_LIMIT,
  pageQueryShape,
} from '../shared/contracts/pagination.js'

/** A page of a list: `{ items, nextCursor }` (docs/architecture.md §9). */
export interface Page<T> {
  readonly items: T[]
  readonly nextCursor: string | null
}

export interface PageRequest {
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
}

/** Position after which a page starts: the (created_at, id) of the last item seen. */
export interface Position {
  readonly createdAt: string
  readonly id: string
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url')
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined || cursor === '') return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !`${value[0]}${value[1]}`.includes('\u0000')
    )
      return { createdAt: value[0], id: value[1] }
  } catch {
    // fall through
  }
  throw new ValidationFailed('invalid cursor', [
    { path: 'cursor', message: 'is not a cursor returned by this list' },
  ])
}

/** Builds the page from `limit + 1` fetched rows. */
export function toPage<R extends { created_at: string; id: string }, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit
  const kept = more ? rows.slice(0, limit) : rows
  const last = kept[kept.length - 1]
  return {
    items: kept.map(map),
    nextCursor:
      more && last !== undefined ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  }
}

/** The keyset condition "after this position" for a list ordered by (created_at, id). */
export function after(position: Position, order: 'asc' | 'desc'): RawBuilder<SqlBool> {
  return order === 'asc'
    ? sql<SqlBool>`(created_at > ${position.createdAt} OR (created_at = ${position.createdAt} AND id > ${position.id}))`
    : sql<SqlBool>`(created_at < ${position.createdAt} OR (created_at = ${position.createdAt} AND id < ${position.id}))`
}

export function limitOf(request: PageRequest): number {
  return Math.min(Math.max(request.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT)
}

/** The columns every keyset-paged table has. */
interface Keyed {
  readonly created_at: string
  readonly id: string
}

/**
 * One page of a query ordered by (created_at, id): starts after the request's cursor, fetches
 * `limit + 1` rows to know whether there is more, and maps the rows kept.
 */
export async function keysetPage<DB, TB extends keyof DB, O extends Keyed, T>(
  select: SelectQueryBuilder<DB, TB, O>,
  request: PageRequest,
  order: 'asc' | 'desc',
  map: (row: O) => T,
): Promise<Page<T>> {
  const limit = limitOf(request)
  const position = decodeCursor(request.cursor)
  const from = position === undefined ? select : select.where(after(position, order))
  const rows = await from
    .orderBy(sql.ref('created_at'), order)
    .orderBy(sql.ref('id'), order)
    .limit(limit + 1)
    .execute()
  return toPage(rows, limit, map)
}
