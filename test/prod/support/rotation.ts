/**
 * `keyless keys rotate` while every replica mints without pause: the tokens minted, when each
 * replica's JWKS first showed each key, and the minting rate. Used by test/prod/replicas.test.ts
 * and bench/replicas.
 */
import { decodeProtectedHeader } from 'jose'
import { startProcess, type Json } from '../../e2e/support/stack.js'
import type { Cluster } from './cluster.js'

export interface MintedToken {
  readonly replica: number
  /** When the mint request was sent (ms since the epoch). */
  readonly sentAt: number
  readonly token: string
  readonly kid: string
}

export interface RotationRun {
  readonly tokens: readonly MintedToken[]
  /** Mint requests that did not answer 200, as `replica: status text`. */
  readonly failures: readonly string[]
  /** Per replica: kid → when a JWKS answer holding it first arrived. */
  readonly firstSeen: ReadonlyArray<ReadonlyMap<string, number>>
  /** The key `keys rotate` added, and when it said it signs from. */
  readonly newKid: string
  readonly activatesAt: number
  /** When minting started and stopped. */
  readonly startedAt: number
  readonly endedAt: number
}

export interface RotationOptions {
  /** A queued or running deployment the owner key may mint for. */
  readonly deploymentId: string
  /** `keys rotate --prepublish`. */
  readonly prepublishSeconds: number
  /** Mint requests each replica has in flight at once (default 1). */
  readonly concurrency?: number
  /** Stop once every replica minted this many tokens with the new key (default 20). */
  readonly afterActivation?: number
  readonly timeoutMs?: number
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Polls each replica's JWKS and remembers when each kid first appeared there. */
function watchJwks(
  cluster: Cluster,
  stop: AbortSignal,
): {
  firstSeen: Array<Map<string, number>>
  ready: Promise<void>
  done: Promise<void>
} {
  const firstSeen = cluster.replicas.map(() => new Map<string, number>())
  const watchers = cluster.replicas.map(async (replica, i) => {
    while (!stop.aborted) {
      const res = await fetch(`${replica.url}/.well-known/jwks.json`).catch(() => undefined)
      if (res?.ok === true) {
        const body = (await res.json()) as { keys: Array<{ kid: string }> }
        const at = Date.now()
        for (const { kid } of body.keys) if (!firstSeen[i]!.has(kid)) firstSeen[i]!.set(kid, at)
      }
      await sleep(100)
    }
  })
  const ready = (async () => {
    while (firstSeen.some((m) => m.size === 0)) await sleep(20)
  })()
  return { firstSeen, ready, done: Promise.all(watchers).then(() => undefined) }
}

async function rotate(cluster: Cluster, prepublishSeconds: number): Promise<Json> {
  const proc = startProcess(
    ['keys', 'rotate', '--prepublish', String(prepublishSeconds), '--json'],
    { ...cluster.env, KEYLESS_DATA_DIR: `${cluster.dir}/keys-cli` },
  )
  const code = await new Promise<number | null>((resolve) => proc.child.once('exit', resolve))
  const out = proc.output()
  if (code !== 0) throw new Error(`keys rotate exited ${String(code)}: ${out}`)
  return (JSON.parse(out.slice(out.indexOf('{'))) as { key: Json }).key
}

export async function mintThroughRotation(
  cluster: Cluster,
  options: RotationOptions,
): Promise<RotationRun> {
  const stop = new AbortController()
  const jwks = watchJwks(cluster, stop.signal)
  await jwks.ready
  const tokens: MintedToken[] = []
  const failures: string[] = []
  let newKid: string | undefined
  const wanted = options.afterActivation ?? 20
  const enough = (): boolean =>
    newKid !== undefined &&
    cluster.replicas.every(
      (_, r) => tokens.filter((t) => t.replica === r && t.kid === newKid).length >= wanted,
    )
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  const mint = async (replica: number): Promise<void> => {
    while (!stop.signal.aborted && !enough() && Date.now() < deadline) {
      const sentAt = Date.now()
      const res = await fetch(
        `${cluster.replicas[replica]!.url}/api/v1/deployments/${options.deploymentId}/oidc-token`,
        { method: 'POST', headers: { authorization: `Bearer ${cluster.adminKey}` } },
      ).catch((error: unknown) => error as Error)
      if (res instanceof Error || !res.ok) {
        failures.push(
          `${replica}: ${res instanceof Error ? res.message : `${res.status} ${await res.text()}`}`,
        )
        await sleep(50)
      } else {
        const { token } = (await res.json()) as { token: string }
        tokens.push({ replica, sentAt, token, kid: decodeProtectedHeader(token).kid ?? '' })
      }
    }
  }
  const startedAt = Date.now()
  const minters = cluster.replicas.flatMap((_, r) =>
    Array.from({ length: options.concurrency ?? 1 }, () => mint(r)),
  )
  try {
    await sleep(500)
    const key = await rotate(cluster, options.prepublishSeconds)
    newKid = key.kid as string
    await Promise.all(minters)
    const endedAt = Date.now()
    if (!enough()) throw new Error(`the new key ${newKid} did not sign on every replica in time`)
    return {
      tokens,
      failures,
      firstSeen: jwks.firstSeen,
      newKid,
      activatesAt: Date.parse(key.activatesAt as string),
      startedAt,
      endedAt,
    }
  } finally {
    stop.abort()
    await Promise.allSettled(minters)
    await jwks.done
  }
}
