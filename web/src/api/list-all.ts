import { api, query } from './client'
import type { Page } from './types'

/** Follows `nextCursor` until the end (or `maxPages`), for pickers that need every item. */
export async function listAll<T>(path: string, signal?: AbortSignal, maxPages = 20): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null = null
  for (let i = 0; i < maxPages; i++) {
    const sep = path.includes('?') ? '&' : '?'
    const url: string = cursor === null ? path : `${path}${sep}${query({ cursor }).slice(1)}`
    const page: Page<T> = await api.get<Page<T>>(url, signal)
    items.push(...page.items)
    cursor = page.nextCursor
    if (cursor === null) break
  }
  return items
}
