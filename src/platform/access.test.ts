import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../shared/clock.js'
import { openStore, type Store } from '../store/database.js'
import { KEY_CACHE_TTL_MS } from './access.js'
import { createPlatform, type Principal } from './index.js'

describe('API key authentication cache', () => {
  let store: Store
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
  beforeEach(async () => {
    store = await openStore({ url: ':memory:' })
  })
  afterEach(async () => {
    await store.close()
  })

  async function setUp() {
    const here = createPlatform({ store, clock })
    const there = createPlatform({ store, clock })
    const boot = await here.bootstrapOwner({ email: 'owner@example.com' })
    const owner = (await here.authenticateKey(boot.key!)) as Principal
    const org = await here.organizations.create(owner, { name: 'alpha' })
    const key = await here.apiKeys.create(owner, org.id, { role: 'admin', email: 'a@example.com' })
    return { here, there, owner, org, key }
  }

  it('refuses a revoked key at once in the process that revoked it', async () => {
    const { here, owner, org, key } = await setUp()
    expect(await here.authenticateKey(key.key)).toMatchObject({ kind: 'api-key', id: key.id })
    expect(await here.authenticateKey(key.key)).toMatchObject({ id: key.id })
    await here.apiKeys.revoke(owner, org.id, key.id)
    expect(await here.authenticateKey(key.key)).toBeNull()
  })

  it('refuses a key revoked by another replica within the TTL', async () => {
    const { here, there, owner, org, key } = await setUp()
    expect(await there.authenticateKey(key.key)).toMatchObject({ id: key.id })
    await here.apiKeys.revoke(owner, org.id, key.id)
    expect(await here.authenticateKey(key.key)).toBeNull()
    clock.advance(KEY_CACHE_TTL_MS + 1)
    expect(await there.authenticateKey(key.key)).toBeNull()
  })

  it('accepts a new key at once (unknown keys are not remembered)', async () => {
    const { here, owner, org } = await setUp()
    expect(await here.authenticateKey('kl_not-yet-a-key-0000000000000000000000')).toBeNull()
    const key = await here.apiKeys.create(owner, org.id, { role: 'viewer', email: 'v@example.com' })
    expect(await here.authenticateKey(key.key)).toMatchObject({ id: key.id, role: 'viewer' })
  })
})
