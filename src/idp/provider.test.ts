import { randomBytes } from 'node:crypto'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/idp/stores.js'
import { ManualClock } from '../shared/clock.js'
import { KeylessError } from '../shared/errors.js'
import { createLogger, silentLogger } from '../shared/logger.js'
import { DEFAULT_SUBJECT_TEMPLATE } from '../shared/subject-template.js'
import type { TokenContext } from '../shared/token-context.js'
import type { Store } from '../store/database.js'
import { claimsDigest } from './tokens/digest.js'
import {
  createIdentityProvider,
  type IdentityProviderOptions,
  type ManagedIdentityProvider,
} from './provider.js'

const ISSUER = 'https://keyless.example.com/'
const TTL = 600
const PREPUBLISH = 3600
const START = Date.UTC(2026, 10, 25, 12, 0, 0)

const context: TokenContext = {
  organizationId: 'org_1',
  organizationName: 'Acme',
  projectId: 'prj_1',
  projectName: 'Network',
  templateId: 'tpl_1',
  templateName: 'VPC',
  environmentId: 'env_1',
  environmentName: 'production',
  deploymentId: 'dep_1',
  deploymentType: 'plan',
  deployerEmail: 'alice@example.com',
  userTag: 'blue',
  audience: 'aws:org_1',
  subjectTemplate: DEFAULT_SUBJECT_TEMPLATE,
  sessionTags: true,
}

async function verify(idp: ManagedIdentityProvider, token: string, clock: ManualClock) {
  const jwks = createLocalJWKSet({ keys: [...(await idp.jwks()).keys] })
  return jwtVerify(token, jwks, {
    issuer: ISSUER,
    audience: 'aws:org_1',
    algorithms: ['RS256', 'ES256'],
    currentDate: clock.now(),
  })
}

const dialects = await testDialects()

describe.each(dialects)('identity provider on %s', (dialect) => {
  let db: TestDatabase
  let clock: ManualClock
  let masterKey: Buffer
  const opened: ManagedIdentityProvider[] = []

  beforeEach(async () => {
    db = await createTestDatabase(dialect)
    clock = new ManualClock(START)
    masterKey = randomBytes(32)
  })
  afterEach(async () => {
    for (const idp of opened.splice(0)) await idp.close()
    await db.cleanup()
  })

  async function open(
    overrides: Partial<IdentityProviderOptions> = {},
    store: Store = db.store,
  ): Promise<ManagedIdentityProvider> {
    const idp = await createIdentityProvider({
      issuerUrl: ISSUER,
      store,
      masterKey,
      clock,
      logger: silentLogger(),
      signingAlg: 'RS256',
      tokenTtlSeconds: TTL,
      keyPrepublishSeconds: PREPUBLISH,
      ...overrides,
    })
    opened.push(idp)
    return idp
  }

  it('creates one active key at once on first start and publishes its public members', async () => {
    const idp = await open()
    const keys = await idp.listKeys()
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatchObject({ alg: 'RS256', state: 'active', supersededAt: null })
    expect(keys[0]?.activatesAt).toEqual(new Date(START))
    const { keys: jwks } = await idp.jwks()
    expect(jwks).toHaveLength(1)
    expect(Object.keys(jwks[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use'])
    expect(jwks[0]).toMatchObject({ kid: keys[0]?.kid, alg: 'RS256', use: 'sig', kty: 'RSA' })
    expect(idp.discovery()).toMatchObject({
      issuer: ISSUER,
      jwks_uri: 'https://keyless.example.com/.well-known/jwks.json',
      id_token_signing_alg_values_supported: ['RS256'],
    })
  })

  it('mints a token with exact claims for a frozen clock, verifiable with the JWKS', async () => {
    const idp = await open()
    clock.advance(1234) // not on a whole second: iat is floored
    const minted = await idp.mint(context)
    const iat = Math.floor((START + 1234) / 1000)
    expect(decodeProtectedHeader(minted.token)).toEqual({
      alg: 'RS256',
      kid: minted.kid,
      typ: 'JWT',
    })
    const { payload } = await verify(idp, minted.token, clock)
    expect(payload).toEqual(minted.claims)
    expect(payload).toMatchObject({
      iss: ISSUER,
      sub: 'org:org_1:project:prj_1:environment:env_1:type:plan',
      aud: 'aws:org_1',
      iat,
      nbf: iat,
      exp: iat + TTL,
      jti: minted.jti,
      deploymentType: 'plan',
      userTag: 'blue',
    })
    expect(payload['https://aws.amazon.com/tags']).toEqual({
      principal_tags: {
        organizationId: ['org_1'],
        projectId: ['prj_1'],
        templateId: ['tpl_1'],
        environmentId: ['env_1'],
        deploymentType: ['plan'],
        runPhase: ['plan'],
        deployerEmail: ['alice@example.com'],
        userTag: ['blue'],
      },
    })
    expect(minted.issuedAt).toEqual(new Date(iat * 1000))
    expect(minted.expiresAt).toEqual(new Date((iat + TTL) * 1000))
    expect(minted.claimsDigest).toBe(claimsDigest(payload))
    expect(minted.omittedTags).toEqual([])
    const second = await idp.mint(context)
    expect(second.jti).not.toBe(minted.jti)
  })

  it('previews the same claims, unsigned', async () => {
    const idp = await open()
    const preview = idp.previewClaims({ ...context, deployerEmail: 'x!@example.com' })
    const minted = await idp.mint({ ...context, deployerEmail: 'x!@example.com' })
    expect({ ...preview.claims, jti: minted.jti }).toEqual(minted.claims)
    expect(preview.omittedTags).toEqual(minted.omittedTags)
    expect(preview.omittedTags.map((t) => t.key)).toEqual(['deployerEmail'])
  })

  it('signs with ES256 when selected', async () => {
    const idp = await open({ signingAlg: 'ES256' })
    const minted = await idp.mint(context)
    expect(decodeProtectedHeader(minted.token).alg).toBe('ES256')
    expect((await idp.jwks()).keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' })
    await verify(idp, minted.token, clock)
    expect(idp.discovery()['id_token_signing_alg_values_supported']).toEqual(['ES256'])
  })

  it('keeps its keys across restarts (no new key when one exists)', async () => {
    const first = await open()
    const kid = (await first.listKeys())[0]?.kid
    await first.close()
    const again = await open({}, await db.open())
    expect((await again.listKeys()).map((k) => k.kid)).toEqual([kid])
    expect((await again.mint(context)).kid).toBe(kid)
  })

  it('replicas starting together on an empty database end up with one first key', async () => {
    const [a, b, c] = await Promise.all([
      open(),
      open({}, await db.open()),
      open({}, await db.open()),
    ])
    const kids = await Promise.all(
      [a, b, c].map(async (idp) => (await idp.listKeys()).map((k) => k.kid)),
    )
    expect(kids[0]).toHaveLength(1)
    expect(kids[1]).toEqual(kids[0])
    expect(kids[2]).toEqual(kids[0])
  })

  it('stops with key_decryption_failed under another master key and makes no new key', async () => {
    const first = await open()
    const kid = (await first.listKeys())[0]?.kid ?? ''
    await first.close()
    const error = await open({ masterKey: randomBytes(32) }, await db.open()).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(KeylessError)
    expect((error as KeylessError).code).toBe('key_decryption_failed')
    expect((error as KeylessError).message).toContain(kid)
    expect((error as KeylessError).message).toMatch(/master key/)
    const rows = await db.store.db.selectFrom('signing_keys').select('kid').execute()
    expect(rows.map((r) => r.kid)).toEqual([kid])
  })

  it('rotates: pending → active → retiring → retired, with the JWKS at each boundary', async () => {
    const idp = await open()
    const k1 = (await idp.listKeys())[0]?.kid
    clock.advance(100_000)
    const rotated = await idp.rotate()
    const k2 = rotated.kid
    const rotatedAt = START + 100_000
    expect(rotated).toMatchObject({ state: 'pending', supersededAt: null, unpublishAt: null })
    expect(rotated.activatesAt).toEqual(new Date(rotatedAt + PREPUBLISH * 1000))

    const expectAt = async (
      ms: number,
      states: [string, string],
      signer: string | undefined,
      published: Array<string | undefined>,
    ): Promise<void> => {
      clock.set(ms)
      expect((await idp.listKeys()).map((k) => [k.kid, k.state])).toEqual([
        [k1, states[0]],
        [k2, states[1]],
      ])
      expect((await idp.jwks()).keys.map((k) => k.kid)).toEqual(published)
      const minted = await idp.mint(context)
      expect(minted.kid).toBe(signer)
      await verify(idp, minted.token, clock)
    }
    const activation = rotatedAt + PREPUBLISH * 1000
    await expectAt(rotatedAt, ['active', 'pending'], k1, [k1, k2])
    await expectAt(activation - 1, ['active', 'pending'], k1, [k1, k2])
    await expectAt(activation, ['retiring', 'active'], k2, [k1, k2])
    await expectAt(activation + TTL * 1000 - 1, ['retiring', 'active'], k2, [k1, k2])
    await expectAt(activation + TTL * 1000, ['retired', 'active'], k2, [k2])

    const listed = await idp.listKeys()
    expect(listed[0]?.supersededAt).toEqual(new Date(activation))
    expect(listed[0]?.unpublishAt).toEqual(new Date(activation + TTL * 1000))
  })

  it('a token signed just before the switch verifies until it expires', async () => {
    const idp = await open()
    const rotated = await idp.rotate()
    clock.set(rotated.activatesAt.getTime() - 1)
    const last = await idp.mint(context)
    clock.set(last.expiresAt.getTime() - 1)
    await expect(verify(idp, last.token, clock)).resolves.toBeDefined()
  })

  it('picks up a key another process added within the refresh interval', async () => {
    const server = await open({ keyRefreshMs: 50 })
    const cli = await open({}, await db.open())
    const added = await cli.rotate()
    await cli.close()
    await vi.waitFor(
      async () => {
        expect((await server.jwks()).keys.map((k) => k.kid)).toContain(added.kid)
      },
      { timeout: 5000, interval: 25 },
    )
    clock.set(added.activatesAt)
    expect((await server.mint(context)).kid).toBe(added.kid)
  })

  it('a rotation under another master key is refused before anything is written', async () => {
    const server = await open()
    const before = (await server.listKeys()).map((k) => k.kid)
    await expect(
      open({ masterKey: randomBytes(32), createFirstKey: false }, await db.open()),
    ).rejects.toMatchObject({ code: 'key_decryption_failed' })
    expect((await server.listKeys()).map((k) => k.kid)).toEqual(before)
  })

  it('does not create a key when told not to; the first rotation then signs at once', async () => {
    const idp = await open({ createFirstKey: false })
    expect(await idp.listKeys()).toEqual([])
    expect((await idp.jwks()).keys).toEqual([])
    await expect(idp.mint(context)).rejects.toMatchObject({ code: 'invalid_state' })
    const first = await idp.rotate()
    expect(first.state).toBe('active')
    expect((await idp.mint(context)).kid).toBe(first.kid)
  })

  it('refuses a refresh interval over 10 s', async () => {
    await expect(open({ keyRefreshMs: 10_001 })).rejects.toMatchObject({ code: 'config_invalid' })
  })
})

describe('identity provider logs', () => {
  it('say what happened to keys and never carry key material', async () => {
    const db = await createTestDatabase('sqlite')
    const lines: string[] = []
    const logger = createLogger({ level: 'trace' }, { write: (line: string) => lines.push(line) })
    const options = {
      issuerUrl: ISSUER,
      masterKey: randomBytes(32),
      clock: new ManualClock(START),
      logger,
      signingAlg: 'RS256' as const,
      tokenTtlSeconds: TTL,
      keyPrepublishSeconds: PREPUBLISH,
    }
    try {
      const a = await createIdentityProvider({ ...options, store: db.store, keyRefreshMs: 20 })
      const b = await createIdentityProvider({ ...options, store: await db.open() })
      const rotated = await b.rotate()
      await vi.waitFor(() => expect(lines.join('')).toContain('signing keys picked up'))
      await a.mint(context)
      await a.close()
      await b.close()
      const text = lines.join('')
      expect(text).toContain('first signing key created')
      expect(text).toContain(rotated.kid)
      const rows = await db.store.db.selectFrom('signing_keys').selectAll().execute()
      for (const row of rows) expect(text).not.toContain(row.private_key.split('.')[3])
      expect(text).not.toMatch(/"(d|p|q|dp|dq|qi)":"[\w-]{20,}/u)
    } finally {
      await db.cleanup()
    }
  })
})
