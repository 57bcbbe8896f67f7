import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto'

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

/** Operations per second of a synchronous function, run for `ms` milliseconds. */
export function syncRate(fn: () => unknown, ms: number): number {
  const start = performance.now()
  let n = 0
  while (performance.now() - start < ms) {
    fn()
    n++
  }
  return (n * 1000) / (performance.now() - start)
}

/** Operations per second of an async function, `concurrency` calls in flight, for `ms`. */
export async function asyncRate(
  fn: () => Promise<unknown>,
  ms: number,
  concurrency: number,
): Promise<number> {
  const start = performance.now()
  let n = 0
  const worker = async (): Promise<void> => {
    while (performance.now() - start < ms) {
      await fn()
      n++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return (n * 1000) / (performance.now() - start)
}
