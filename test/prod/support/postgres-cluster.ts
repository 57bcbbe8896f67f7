/**
 * The fixture of the PostgreSQL cluster tests: inside a `describe`, a fresh database
 * (test/prod/support/database.ts) and a cluster of replicas on it (cluster.ts), started before
 * the tests and stopped (database dropped) after them.
 */
import { afterAll, beforeAll } from 'vitest'
import type { Json } from '../../e2e/support/stack.js'
import { startCluster, type Cluster, type ClusterOptions } from './cluster.js'
import { createTestDatabase, type TestDatabase } from './database.js'

export interface PostgresCluster {
  readonly db: () => TestDatabase
  readonly cluster: () => Cluster
  /** The REST API of one replica, as `api(method, path, body)`. */
  readonly apiOf: (
    replica: number,
  ) => (method: string, path: string, body?: unknown) => Promise<Json>
}

export function usePostgresCluster(options: Omit<ClusterOptions, 'database'>): PostgresCluster {
  let db: TestDatabase | undefined
  let cluster: Cluster | undefined
  beforeAll(async () => {
    db = await createTestDatabase()
    cluster = await startCluster({ ...options, database: db.url })
  }, 90_000)
  afterAll(async () => {
    await cluster?.stop()
    await db?.drop()
  })
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the cluster is not started (beforeAll failed?)')
    return value
  }
  return {
    db: () => started(db),
    cluster: () => started(cluster),
    apiOf: (replica) => (method, path, body) =>
      started(cluster).api<Json>(replica, method, path, body),
  }
}
