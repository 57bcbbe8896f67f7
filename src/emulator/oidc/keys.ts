/**
 * Verification keys per issuer: discovery document → `jwks_uri` → JWKS, cached per issuer with a
 * TTL; an unknown `kid` triggers one refetch, rate-limited per issuer and shared by every caller
 * while it is in flight, so key rotation works without letting bad tokens hammer the issuer. Only
 * the keys are cached, never a verification result (docs/architecture.md §9 "Replays").
 */
import { createPublicKey, type KeyObject } from 'node:crypto'
import type { Clock } from '../../shared/clock.js'
import { fetchJson, type FetchSettings } from './fetch.js'
import type { DecodedJwt } from '../../federation/jwt.js'
import { checkSignature, type SignatureCheck } from './signature-checks.js'

export interface KeySettings extends FetchSettings {
  readonly cacheTtlMs: number
  readonly refetchIntervalMs: number
  readonly verifyThumbprints: boolean
  /** A JWKS of more than 100 keys: refused (AWS) or only its first 100 keys used (Entra). */
  readonly overLimit?: 'refuse' | 'first-100'
  /** Signatures checked on the libuv threadpool (src/emulator/oidc/signature-checks.ts); default: main thread. */
  readonly verifyOnPool?: boolean
}

interface JwkKey {
  readonly kid: string | undefined
  readonly kty: 'RSA' | 'EC'
  readonly alg: string | undefined
  readonly curve: string | undefined
  readonly key: KeyObject
}

interface Entry {
  readonly keys: readonly JwkKey[]
  readonly thumbprints: readonly string[]
  readonly fetchedAt: number
}

export type KeyCheck =
  | { readonly ok: true; readonly kid: string | undefined }
  | {
      readonly ok: false
      /** `unavailable`: discovery or JWKS could not be fetched or read. */
      readonly kind: 'unavailable' | 'no-key' | 'bad-signature'
      readonly reason: string
    }

const MAX_KEYS = 100
const CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }
const HASHES: Record<string, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
}
const EC_SIG_LENGTH: Record<string, number> = { ES256: 64, ES384: 96, ES512: 132 }

function parseJwks(json: unknown, overLimit: 'refuse' | 'first-100'): JwkKey[] | string {
  if (
    typeof json !== 'object' ||
    json === null ||
    !Array.isArray((json as { keys?: unknown }).keys)
  )
    return 'the JWKS has no keys array'
  const all = (json as { keys: unknown[] }).keys
  const raw = overLimit === 'first-100' ? all.slice(0, MAX_KEYS) : all
  if (raw.length > MAX_KEYS) return `the JWKS has ${raw.length} keys (at most ${MAX_KEYS})`
  const out: JwkKey[] = []
  for (const k of raw) {
    if (typeof k !== 'object' || k === null) continue
    const jwk = k as Record<string, unknown>
    if (jwk['use'] !== undefined && jwk['use'] !== 'sig') continue
    const str = (name: string): string | undefined =>
      typeof jwk[name] === 'string' ? jwk[name] : undefined
    try {
      if (jwk['kty'] === 'RSA') {
        const key = createPublicKey({
          key: { kty: 'RSA', n: str('n') ?? '', e: str('e') ?? '' },
          format: 'jwk',
        })
        out.push({ kid: str('kid'), kty: 'RSA', alg: str('alg'), curve: undefined, key })
      } else if (jwk['kty'] === 'EC') {
        const key = createPublicKey({
          key: { kty: 'EC', crv: str('crv') ?? '', x: str('x') ?? '', y: str('y') ?? '' },
          format: 'jwk',
        })
        out.push({ kid: str('kid'), kty: 'EC', alg: str('alg'), curve: str('crv'), key })
      }
    } catch {
      // A key that does not import is skipped, as a verifier would.
    }
  }
  return out
}

function candidates(keys: readonly JwkKey[], jwt: DecodedJwt): JwkKey[] {
  const kty = jwt.alg.startsWith('RS') ? 'RSA' : 'EC'
  return keys.filter(
    (k) =>
      k.kty === kty &&
      (k.alg === undefined || k.alg === jwt.alg) &&
      (kty === 'RSA' || k.curve === CURVES[jwt.alg]) &&
      (jwt.kid === undefined || k.kid === jwt.kid),
  )
}

/** The check a token's signature needs with this key (undefined: the key cannot have signed it). */
function signatureCheck(jwt: DecodedJwt, key: KeyObject): SignatureCheck | undefined {
  const hash = HASHES[jwt.alg]
  if (hash === undefined) return undefined
  const data = Buffer.from(jwt.signingInput)
  if (jwt.alg.startsWith('ES')) {
    if (jwt.signature.length !== EC_SIG_LENGTH[jwt.alg]) return undefined
    return { hash, data, key: { key, dsaEncoding: 'ieee-p1363' }, signature: jwt.signature }
  }
  if (key.asymmetricKeyType !== 'rsa') return undefined
  return { hash, data, key, signature: jwt.signature }
}

function badSignature(jwt: DecodedJwt): KeyCheck {
  return { ok: false, kind: 'bad-signature', reason: `the ${jwt.alg} signature does not verify` }
}

/** The first of `found` whose check passes, in order; a promise when a check runs off-thread. */
function firstValid(
  onPool: boolean,
  jwt: DecodedJwt,
  found: readonly JwkKey[],
  from = 0,
): KeyCheck | Promise<KeyCheck> {
  for (let i = from; i < found.length; i += 1) {
    const key = found[i] as JwkKey
    const check = signatureCheck(jwt, key.key)
    if (check === undefined) continue
    const ok = checkSignature(check, onPool)
    if (ok instanceof Promise)
      return ok.then((valid) =>
        valid ? { ok: true, kid: key.kid } : firstValid(onPool, jwt, found, i + 1),
      )
    if (ok) return { ok: true, kid: key.kid }
  }
  return badSignature(jwt)
}

/** Inline JWKS parsed once per document object (a provider's `jwksJson` as checked). */
const inlineKeys = new WeakMap<object, JwkKey[] | string>()

export class IssuerKeys {
  readonly #settings: KeySettings
  readonly #clock: Clock
  readonly #cache = new Map<string, Entry>()
  readonly #inFlight = new Map<string, Promise<Entry | string>>()
  readonly #lastRefetch = new Map<string, number>()

  constructor(settings: KeySettings, clock: Clock) {
    this.#settings = settings
    this.#clock = clock
  }

  /** Fetches discovery + JWKS for an issuer (deduplicated while in flight). */
  #load(issuer: string): Promise<Entry | string> {
    const running = this.#inFlight.get(issuer)
    if (running !== undefined) return running
    const promise = (async (): Promise<Entry | string> => {
      // One deadline over both documents: STS gives the whole key retrieval about 5 s, so an
      // issuer slow on each document but under the limit on either is still too slow.
      const deadline = performance.now() + this.#settings.timeoutMs
      const within = (): FetchSettings => ({
        ...this.#settings,
        timeoutMs: Math.max(1, Math.round(deadline - performance.now())),
      })
      const discoveryUrl = `${issuer.replace(/\/$/u, '')}/.well-known/openid-configuration`
      const discovery = await fetchJson(discoveryUrl, within())
      if (!discovery.ok) return `discovery: ${discovery.reason}`
      const jwksUri = (discovery.json as { jwks_uri?: unknown } | null)?.jwks_uri
      if (typeof jwksUri !== 'string')
        return `discovery document at ${discoveryUrl} has no jwks_uri`
      const jwks = await fetchJson(jwksUri, within())
      if (!jwks.ok) return `JWKS: ${jwks.reason}`
      const keys = parseJwks(jwks.json, this.#settings.overLimit ?? 'refuse')
      if (typeof keys === 'string') return `JWKS at ${jwksUri}: ${keys}`
      const entry = { keys, thumbprints: jwks.thumbprints, fetchedAt: this.#clock.now().getTime() }
      this.#cache.set(issuer, entry)
      return entry
    })().finally(() => this.#inFlight.delete(issuer))
    this.#inFlight.set(issuer, promise)
    return promise
  }

  /**
   * The refetch an unknown `kid` asks for: the one already in flight, which every caller awaits
   * (right after a key activation many exchanges present the new `kid` at once), else a new one
   * unless the last was under `refetchIntervalMs` ago (undefined: no refetch).
   */
  #refetch(issuer: string, now: number): Promise<Entry | string> | undefined {
    const running = this.#inFlight.get(issuer)
    if (running !== undefined) return running
    const last = this.#lastRefetch.get(issuer) ?? Number.NEGATIVE_INFINITY
    if (now - last < this.#settings.refetchIntervalMs) return undefined
    this.#lastRefetch.set(issuer, now)
    return this.#load(issuer)
  }

  /** Finds the token's key and checks its signature; `thumbprints` are the provider's. */
  async verify(issuer: string, jwt: DecodedJwt, thumbprints: readonly string[]): Promise<KeyCheck> {
    return this.verifyEager(issuer, jwt, thumbprints)
  }

  /**
   * `verify` without a pause where none is needed: with the issuer's keys cached and the token's
   * key among them it answers at once (no promise); it waits only when the keys must be fetched
   * or refetched.
   */
  verifyEager(
    issuer: string,
    jwt: DecodedJwt,
    thumbprints: readonly string[],
  ): KeyCheck | Promise<KeyCheck> {
    const now = this.#clock.now().getTime()
    const entry = this.#cache.get(issuer)
    if (entry === undefined || now - entry.fetchedAt >= this.#settings.cacheTtlMs)
      return this.#load(issuer).then((loaded) =>
        this.#check(issuer, jwt, thumbprints, loaded, true, now),
      )
    return this.#check(issuer, jwt, thumbprints, entry, false, now)
  }

  #check(
    issuer: string,
    jwt: DecodedJwt,
    thumbprints: readonly string[],
    entry: Entry | string,
    fresh: boolean,
    now: number,
  ): KeyCheck | Promise<KeyCheck> {
    if (typeof entry === 'string') return { ok: false, kind: 'unavailable', reason: entry }
    const found = candidates(entry.keys, jwt)
    if (found.length > 0 || fresh) return this.#decide(issuer, jwt, thumbprints, entry, found)
    const reloading = this.#refetch(issuer, now)
    if (reloading === undefined) return this.#decide(issuer, jwt, thumbprints, entry, found)
    return reloading.then((reloaded) =>
      typeof reloaded === 'string'
        ? { ok: false, kind: 'unavailable', reason: reloaded }
        : this.#decide(issuer, jwt, thumbprints, reloaded, candidates(reloaded.keys, jwt)),
    )
  }

  #decide(
    issuer: string,
    jwt: DecodedJwt,
    thumbprints: readonly string[],
    entry: Entry,
    found: readonly JwkKey[],
  ): KeyCheck | Promise<KeyCheck> {
    if (found.length === 0)
      return {
        ok: false,
        kind: 'no-key',
        reason: `no ${jwt.alg} key${jwt.kid === undefined ? '' : ` with kid ${JSON.stringify(jwt.kid)}`} in the JWKS of ${issuer}`,
      }
    if (this.#settings.verifyThumbprints && entry.thumbprints.length > 0) {
      const wanted = new Set(thumbprints.map((t) => t.toUpperCase()))
      if (!entry.thumbprints.some((t) => wanted.has(t)))
        return {
          ok: false,
          kind: 'no-key',
          reason: `no certificate of the JWKS host's chain matches the provider's thumbprints (${entry.thumbprints.join(', ')})`,
        }
    }
    return firstValid(this.#settings.verifyOnPool ?? false, jwt, found)
  }

  /**
   * Verifies a token against a JWKS given inline (Google's `jwksJson`: nothing is fetched), with
   * the same key selection as for fetched keys.
   */
  verifyWithJwks(json: object, jwt: DecodedJwt): KeyCheck | Promise<KeyCheck> {
    let keys = inlineKeys.get(json)
    if (keys === undefined) {
      keys = parseJwks(json, 'first-100')
      inlineKeys.set(json, keys)
    }
    if (typeof keys === 'string') return { ok: false, kind: 'unavailable', reason: keys }
    const found = candidates(keys, jwt)
    if (found.length === 0)
      return {
        ok: false,
        kind: 'no-key',
        reason: `no ${jwt.alg} key${jwt.kid === undefined ? '' : ` with kid ${JSON.stringify(jwt.kid)}`} in the provider's jwksJson`,
      }
    return firstValid(this.#settings.verifyOnPool ?? false, jwt, found)
  }
}
