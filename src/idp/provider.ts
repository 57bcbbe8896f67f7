import { randomUUID } from 'node:crypto'
import type { JWK } from 'jose'
import type { Clock } from '../shared/clock.js'
import { KEY_PICKUP_SECONDS } from '../shared/config/options.js'
import { ConfigError, KeylessError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import type { TokenContext } from '../shared/token-context.js'
import type { Store } from '../store/database.js'
import { buildDiscovery } from './discovery.js'
import { SIGNING_ALGS, type SigningAlg } from './keys/key-material.js'
import { decryptionError, KeyRing } from './keys/keyring.js'
import { keyInfo, publishedKeysAt, signingKeyAt } from './keys/lifecycle.js'
import { buildClaims } from './tokens/claims.js'
import { claimsDigest } from './tokens/digest.js'
import { signJwtText } from './tokens/jws.js'
import type {
  ClaimsPreview,
  IdentityProvider,
  MintedToken,
  OpenIdConfiguration,
  SigningKeyInfo,
} from './types.js'

export interface IdentityProviderOptions {
  /** The issuer URL exactly as it appears in `iss` and in the discovery document. */
  readonly issuerUrl: string
  readonly store: Store
  /** 32 bytes (see `loadMasterKey`): seals the private keys at rest. */
  readonly masterKey: Buffer
  readonly clock: Clock
  readonly logger: Logger
  /** Algorithm of new keys. */
  readonly signingAlg: SigningAlg
  /** Token lifetime (default in the config: 600). */
  readonly tokenTtlSeconds: number
  /** How long a rotated-in key is published before it signs (default in the config: 3600). */
  readonly keyPrepublishSeconds: number
  /** How often the key table is read for changes by other processes (default 5000, at most 10000). */
  readonly keyRefreshMs?: number
  /** Create the first key when the table is empty (default true; `keyless keys list` says false). */
  readonly createFirstKey?: boolean
  /** When set, a key signs only if this allows it (the static issuer copy holds it). */
  readonly signingGate?: (kid: string) => boolean
}

export interface RotateOptions {
  /** Algorithm of the new key (default: the configured one). */
  readonly alg?: SigningAlg
  /** Pre-publication window of this key (default: the configured one). */
  readonly prepublishSeconds?: number
}

/** The identity provider with the extras the CLI and tests use. */
export interface ManagedIdentityProvider extends IdentityProvider {
  rotate(options?: RotateOptions): Promise<SigningKeyInfo>
  /** Reads the key table now instead of waiting for the next poll. */
  refresh(): Promise<void>
}

export const DEFAULT_KEY_REFRESH_MS = 5000
/** Every replica sees a new key within this; `--key-prepublish` may not be shorter. */
export const MAX_KEY_REFRESH_MS = KEY_PICKUP_SECONDS * 1000
/** AWS reads at most 100 keys from a JWKS (docs/aws-behaviour.md §4). */
export const MAX_PUBLISHED_KEYS = 100

/**
 * Opens the identity provider over the store: checks that every key that may still sign unseals
 * with the master key (`key_decryption_failed` otherwise, and no key is made in their place),
 * creates the first key when there is none, and starts polling the key table.
 */
export async function createIdentityProvider(
  options: IdentityProviderOptions,
): Promise<ManagedIdentityProvider> {
  const { clock, logger, issuerUrl, tokenTtlSeconds } = options
  const refreshMs = options.keyRefreshMs ?? DEFAULT_KEY_REFRESH_MS
  if (!(refreshMs > 0 && refreshMs <= MAX_KEY_REFRESH_MS))
    throw new ConfigError([`keyRefreshMs must be from 1 to ${MAX_KEY_REFRESH_MS}`])

  const ring = new KeyRing({
    store: options.store,
    masterKey: options.masterKey,
    clock,
    logger,
    tokenTtlSeconds,
  })
  await ring.refresh(true)
  if (options.createFirstKey !== false && ring.keys.length === 0) {
    const kid = await ring.ensureFirstKey(options.signingAlg)
    await ring.refresh(true)
    if (kid !== undefined)
      logger.info({ kid, alg: options.signingAlg }, 'first signing key created')
  }

  let inFlight: Promise<void> | undefined
  const refresh = (): Promise<void> => {
    inFlight ??= ring
      .refresh(false)
      .then(({ added }) => {
        if (added.length > 0) logger.info({ kids: added }, 'signing keys picked up')
      })
      .finally(() => {
        inFlight = undefined
      })
    return inFlight
  }
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => {
      logger.warn({ err: error }, 'reading the signing keys failed; keeping the known ones')
    })
  }, refreshMs)
  timer.unref()

  function published(): JWK[] {
    return publishedKeysAt(ring.keys, clock.now()).map((k) => k.publicJwk)
  }

  function claimsAt(context: TokenContext, now: Date) {
    const issuedAt = Math.floor(now.getTime() / 1000)
    const jti = randomUUID()
    const built = buildClaims({
      issuer: issuerUrl,
      context,
      issuedAt,
      ttlSeconds: tokenTtlSeconds,
      jti,
    })
    return { ...built, issuedAt, jti }
  }

  return {
    issuer: issuerUrl,

    discovery(): OpenIdConfiguration {
      const algs = new Set<SigningAlg>([options.signingAlg])
      for (const k of publishedKeysAt(ring.keys, clock.now())) algs.add(k.alg)
      return buildDiscovery(
        issuerUrl,
        SIGNING_ALGS.filter((a) => algs.has(a)),
      )
    },

    jwks() {
      return Promise.resolve({ keys: published() })
    },

    async mint(context: TokenContext): Promise<MintedToken> {
      const now = clock.now()
      const key = signingKeyAt(ring.keys, now)
      if (key === undefined)
        throw new KeylessError(
          'invalid_state',
          'no signing key is active (run `keyless keys rotate`)',
        )
      if (options.signingGate !== undefined && !options.signingGate(key.kid))
        throw new KeylessError(
          'issuer_not_published',
          `signing key ${key.kid} is not in the published copy of the issuer yet; nothing is signed with it until publication succeeds`,
          { kid: key.kid },
        )
      if (key.signingKey === undefined) {
        if (key.unsealFailed) throw decryptionError([key.kid])
        throw new KeylessError('internal_error', `signing key ${key.kid} is not loaded`)
      }
      const { claims, omittedTags, issuedAt, jti } = claimsAt(context, now)
      const claimsJson = JSON.stringify(claims)
      const token = await signJwtText(claimsJson, key.alg, key.kid, key.signingKey)
      return {
        token,
        jti,
        kid: key.kid,
        issuedAt: new Date(issuedAt * 1000),
        expiresAt: new Date((issuedAt + tokenTtlSeconds) * 1000),
        claims,
        claimsJson,
        claimsDigest: claimsDigest(claims),
        omittedTags,
      }
    },

    ready(): boolean {
      return signingKeyAt(ring.keys, clock.now())?.signingKey !== undefined
    },

    previewClaims(context: TokenContext): ClaimsPreview {
      const { claims, omittedTags } = claimsAt(context, clock.now())
      return { claims, omittedTags }
    },

    async listKeys(): Promise<readonly SigningKeyInfo[]> {
      await refresh()
      const now = clock.now()
      return ring.keys.map((k) => keyInfo(k, now))
    },

    async rotate(rotateOptions: RotateOptions = {}): Promise<SigningKeyInfo> {
      await refresh()
      const now = clock.now()
      const alg = rotateOptions.alg ?? options.signingAlg
      if (publishedKeysAt(ring.keys, now).length >= MAX_PUBLISHED_KEYS)
        throw new KeylessError(
          'invalid_state',
          `${MAX_PUBLISHED_KEYS} keys are published already, the most AWS reads from a JWKS; wait until older keys retire`,
        )
      const prepublish = rotateOptions.prepublishSeconds ?? options.keyPrepublishSeconds
      // The very first key signs at once: nothing can have trusted an issuer without keys.
      const activatesAt = ring.keys.length === 0 ? now : new Date(now.getTime() + prepublish * 1000)
      // Created at the same instant the window is counted from: it is exactly `prepublish` long.
      const kid = await ring.addKey(alg, activatesAt, now)
      await refresh()
      const key = ring.keys.find((k) => k.kid === kid)
      if (key === undefined) throw new KeylessError('internal_error', `key ${kid} vanished`)
      logger.info({ kid, alg, activatesAt: activatesAt.toISOString() }, 'signing key added')
      return keyInfo(key, now)
    },

    refresh,

    close(): Promise<void> {
      clearInterval(timer)
      return inFlight?.catch(() => undefined) ?? Promise.resolve()
    },
  }
}
