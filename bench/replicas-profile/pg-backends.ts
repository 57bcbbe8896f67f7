import pg from 'pg'
import { POSTGRES_URL } from '../../test/support/env.js'
import { cpuOf } from './proc-cpu.js'

export interface PgBackendCpu {
  /** CPU seconds the database's backends spent while sampled. */
  readonly seconds: number
  /** Backends seen. */
  readonly backends: number
}

export interface PgBackendSampler {
  stop(): Promise<PgBackendCpu>
}

/**
 * Samples the CPU time of every PostgreSQL backend serving `database` (pg_stat_activity for the
 * pids, /proc/<pid>/stat for their times; the server runs on this host) every `everyMs`: a
 * backend's share is its last sample minus its first, so a backend that ends between two
 * samples loses at most `everyMs` of its work. The sampler's own connection is to another
 * database and not counted.
 */
export async function sampleBackends(database: string, everyMs = 250): Promise<PgBackendSampler> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  const first = new Map<number, number>()
  const last = new Map<number, number>()
  const sample = async (): Promise<void> => {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1',
      [database],
    )
    for (const { pid } of rows) {
      const cpu = cpuOf(pid)
      if (cpu === undefined) continue
      if (!first.has(pid)) first.set(pid, cpu.self)
      last.set(pid, cpu.self)
    }
  }
  await sample()
  let sampling = Promise.resolve()
  const timer = setInterval(() => {
    sampling = sampling.then(sample, sample)
  }, everyMs)
  return {
    async stop() {
      clearInterval(timer)
      await sampling
      await sample()
      await client.end()
      let seconds = 0
      for (const [pid, end] of last) seconds += end - (first.get(pid) ?? end)
      return { seconds, backends: last.size }
    },
  }
}
