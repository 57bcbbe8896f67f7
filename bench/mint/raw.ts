import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'

/**
 * The baseline: a compact RS256 JWS built with node:crypto alone (base64url header and payload,
 * then `crypto.sign`), over a claim set of the same size as a keyless token.
 */
export function rawSigner(claims: Readonly<Record<string, unknown>>): () => string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'raw', typ: 'JWT' })).toString(
    'base64url',
  )
  return () => signOnce(privateKey, header, claims)
}

function signOnce(
  key: KeyObject,
  header: string,
  claims: Readonly<Record<string, unknown>>,
): string {
  const iat = Math.floor(Date.now() / 1000)
  const payload = Buffer.from(
    JSON.stringify({ ...claims, iat, nbf: iat, exp: iat + 600, jti: randomUUID() }),
  ).toString('base64url')
  const input = `${header}.${payload}`
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`
}

/** A measured rate: per wall-clock second, and per CPU-second of the process that did the work. */
export interface Rate {
  readonly wall: number
  readonly cpu: number
}

function cpuSecondsOfThisProcess(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

/** Operations per second of a synchronous function, run for `ms` milliseconds. */
export function syncRate(fn: () => unknown, ms: number): Rate {
  const cpu0 = cpuSecondsOfThisProcess()
  const start = performance.now()
  let n = 0
  while (performance.now() - start < ms) {
    fn()
    n++
  }
  const wall = (performance.now() - start) / 1000
  return { wall: n / wall, cpu: n / (cpuSecondsOfThisProcess() - cpu0) }
}

/** Operations per second of an async function, `concurrency` calls in flight, for `ms`. */
export async function asyncRate(
  fn: () => Promise<unknown>,
  ms: number,
  concurrency: number,
): Promise<Rate> {
  const cpu0 = cpuSecondsOfThisProcess()
  const start = performance.now()
  let n = 0
  const worker = async (): Promise<void> => {
    while (performance.now() - start < ms) {
      await fn()
      n++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const wall = (performance.now() - start) / 1000
  return { wall: n / wall, cpu: n / (cpuSecondsOfThisProcess() - cpu0) }
}

/** CPU-seconds (user + system, every thread) a process has used so far (Linux /proc). */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // After the name: state is field 3, utime 14 and stime 15 (1-based), in clock ticks (100/s).
  return (Number(fields[11]) + Number(fields[12])) / 100
}
