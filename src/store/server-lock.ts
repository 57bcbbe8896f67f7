import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'

/**
 * The mark a server leaves next to its SQLite database (`<database>.server`: pid and host) while
 * it runs, so that `keyless restore` does not swap the file under it. A mark whose process is
 * gone (the server was killed) does not count.
 */
export function lockPath(database: string): string {
  return `${database}.server`
}

export function markServer(database: string): () => void {
  const path = lockPath(database)
  writeFileSync(path, `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`, {
    mode: 0o600,
  })
  return () => rmSync(path, { force: true })
}

/** The pid of the server running on this database, or null. */
export function serverHolding(database: string): number | null {
  let mark: { pid?: unknown; host?: unknown }
  try {
    mark = JSON.parse(readFileSync(lockPath(database), 'utf8')) as typeof mark
  } catch {
    return null
  }
  if (typeof mark.pid !== 'number') return null
  // Another host's server cannot be asked; its mark counts until removed by hand.
  if (mark.host !== hostname()) return mark.pid
  try {
    process.kill(mark.pid, 0)
    return mark.pid
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM' ? mark.pid : null
  }
}
