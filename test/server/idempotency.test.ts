/**
 * `Idempotency-Key` on the REST API's POST routes, on both dialects: the same key and request
 * within 24 h answers the first result (same status, same body, one resource); the same key with
 * another request is 422 `idempotency_key_reused`; keys are per principal; a failed first request
 * frees its key; a claim whose server died before answering is taken over after 10 s, and the
 * retry answers the deployment that attempt made or makes it, never a second; answers that carry
 * secrets refuse a key. On PostgreSQL, duplicates sent at once
 * to two replicas of one database make one deployment (docs/control-plane.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { idempotentId } from '../../src/platform/context.js'
import { IDEMPOTENCY_ABANDONED_MS } from '../../src/platform/idempotency.js'
import { buildServer, type KeylessServer } from '../../src/server/app.js'
import { silentLogger } from '../../src/shared/logger.js'
import { openStore, type Store } from '../../src/store/database.js'
import { POSTGRES_URL } from '../support/env.js'
import { postgresFactory, storeFactories } from '../support/stores.js'
import { seed, startHarness, type Harness } from './harness.js'

type Seeded = Awaited<ReturnType<typeof seed>>

const DAY_MS = 24 * 60 * 60 * 1000

for (const factory of storeFactories)
  describe.skipIf(!factory.available)(`Idempotency-Key (${factory.dialect})`, () => {
    let h: Harness
    let s: Seeded
    let n = 0
    const fresh = () => `key-${factory.dialect}-${(n += 1)}`

    beforeAll(async () => {
      h = await startHarness({ store: await factory.open() })
      s = await seed(h, 'idem')
    })
    afterAll(async () => {
      await h?.close()
      await h?.store.close()
    })

    const create = (key: string | undefined, body: unknown = {}, apiKey = s.keys.deployer) =>
      h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`, {
        key: apiKey,
        body,
        ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
      })
    const count = async () =>
      (await h.call('GET', `/api/v1/organizations/${s.org.id}/deployments?limit=200`)).json().items
        .length as number

    it('the same key and body answers the first result, and makes one deployment', async () => {
      const before = await count()
      const key = fresh()
      const first = await create(key, { type: 'plan' })
      const again = await create(key, { type: 'plan' })
      expect(first.statusCode).toBe(201)
      expect({ status: again.statusCode, body: again.body }).toEqual({
        status: first.statusCode,
        body: first.body,
      })
      expect(again.headers['idempotent-replayed']).toBe('true')
      expect(await count()).toBe(before + 1)
    })

    it('works on other create routes (a project)', async () => {
      const key = fresh()
      const url = `/api/v1/organizations/${s.org.id}/projects`
      const headers = { 'idempotency-key': key }
      const first = await h.call('POST', url, {
        key: s.keys.admin,
        body: { name: 'once' },
        headers,
      })
      const again = await h.call('POST', url, {
        key: s.keys.admin,
        body: { name: 'once' },
        headers,
      })
      expect(first.statusCode).toBe(201)
      expect(again.body).toBe(first.body)
    })

    it.each([
      ['another body', { type: 'destroy' }, undefined],
      ['another path', {}, 'project'],
    ])('the same key with %s → 422 idempotency_key_reused', async (_, body, other) => {
      const key = fresh()
      expect((await create(key, { type: 'plan' })).statusCode).toBe(201)
      const res =
        other === undefined
          ? await create(key, body)
          : await h.call('POST', `/api/v1/organizations/${s.org.id}/projects`, {
              key: s.keys.deployer,
              body: { name: 'x' },
              headers: { 'idempotency-key': key },
            })
      expect(res.statusCode).toBe(422)
      expect(res.json().error.code).toBe('idempotency_key_reused')
    })

    it('keys are per principal: the same key from another key creates its own', async () => {
      const key = fresh()
      const a = await create(key, {}, s.keys.deployer)
      const b = await create(key, {}, s.keys.admin)
      expect([a.statusCode, b.statusCode]).toEqual([201, 201])
      expect(a.json().id).not.toBe(b.json().id)
    })

    it('after 24 hours the key is free again (the injected clock)', async () => {
      const key = fresh()
      const first = await create(key)
      h.clock.advance(DAY_MS - 1000)
      expect((await create(key)).json().id).toBe(first.json().id)
      h.clock.advance(1000)
      const later = await create(key)
      expect(later.statusCode).toBe(201)
      expect(later.json().id).not.toBe(first.json().id)
    })

    it('a first request that failed frees its key: the retry runs', async () => {
      const key = fresh()
      const other = await h.call('POST', `/api/v1/environments/env_doesnotexist000/deployments`, {
        key: s.keys.deployer,
        body: {},
        headers: { 'idempotency-key': key },
      })
      expect(other.statusCode).toBe(404)
      const retry = await h.call('POST', `/api/v1/environments/env_doesnotexist000/deployments`, {
        key: s.keys.deployer,
        body: {},
        headers: { 'idempotency-key': key },
      })
      expect(retry.statusCode).toBe(404)
      expect((await create(key)).statusCode).toBe(201)
    })

    it.each([
      [
        'an API key',
        (x: Seeded) => `/api/v1/organizations/${x.org.id}/api-keys`,
        { role: 'viewer', email: 'i@x.example' },
      ],
      [
        'an agent token',
        (x: Seeded) => `/api/v1/organizations/${x.org.id}/agent-tokens`,
        { name: 'a' },
      ],
    ])('a route whose answer is %s (a secret) refuses a key → 400', async (_, url, body) => {
      const res = await h.call('POST', url(s), {
        key: s.keys.admin,
        body,
        headers: { 'idempotency-key': fresh() },
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.details.fields[0].path).toBe('Idempotency-Key')
    })

    describe('a first request whose server died before it answered', () => {
      const path = () => `/api/v1/environments/${s.environment.id}/deployments`
      /** Claims a key as a replica does before running the request, then "dies". */
      async function abandonedClaim(key: string) {
        const principal = (await h.app.platform.authenticateKey(s.keys.deployer))!
        const request = { principal, key, method: 'POST', path: path(), body: { type: 'deploy' } }
        const start = await h.app.platform.idempotency.start(request)
        if (start.kind !== 'run') throw new Error(`expected to run, got ${start.kind}`)
        return { principal, request, claim: start.claim }
      }

      it('is young: the claim counts as running; after 10 s as abandoned, and one attempt takes it over', async () => {
        const { request } = await abandonedClaim(fresh())
        const service = h.app.platform.idempotency
        const young = await service.start(request)
        expect(young).toMatchObject({ kind: 'running', abandoned: false })
        h.clock.advance(IDEMPOTENCY_ABANDONED_MS)
        const old = await service.start(request)
        expect(old).toMatchObject({ kind: 'running', abandoned: true })
        const since = old.kind === 'running' ? old.since : ''
        const [a, b] = [
          await service.takeOver(request, since),
          await service.takeOver(request, since),
        ]
        expect(a).toMatchObject({ kind: 'run', claim: { takenOver: true } })
        expect(b).toMatchObject({ kind: 'running', abandoned: false })
      })

      it('before anything ran: the retry takes the key over and makes one deployment', async () => {
        const key = fresh()
        await abandonedClaim(key)
        const before = await count()
        h.clock.advance(IDEMPOTENCY_ABANDONED_MS)
        const retry = await create(key)
        expect(retry.statusCode).toBe(201)
        expect(await count()).toBe(before + 1)
        const again = await create(key)
        expect({ body: again.body, replayed: again.headers['idempotent-replayed'] }).toEqual({
          body: retry.body,
          replayed: 'true',
        })
      })

      it('after the deployment was made: the retry answers that one, and makes no second', async () => {
        const key = fresh()
        const { principal, claim } = await abandonedClaim(key)
        // The first attempt committed its deployment, then died before recording the answer.
        const made = await h.app.platform.deployments.create(
          principal,
          s.environment.id,
          {},
          idempotentId('dep', claim),
        )
        const before = await count()
        h.clock.advance(IDEMPOTENCY_ABANDONED_MS)
        const retry = await create(key)
        expect({ status: retry.statusCode, id: retry.json().id }).toEqual({
          status: 201,
          id: made.id,
        })
        expect(await count()).toBe(before)
      })
    })

    it.each([
      ['empty', ''],
      ['too long', 'k'.repeat(256)],
      ['with a space', 'a b'],
      ['non-ASCII', 'clé'],
    ])('a malformed key (%s) → 400 validation_failed', async (_, key) => {
      const res = await create(key)
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('validation_failed')
    })
  })

describe.skipIf(!postgresFactory.available)(
  'Idempotency-Key across two replicas (postgres)',
  () => {
    let h: Harness
    let s: Seeded
    let storeB: Store
    let replicaB: KeylessServer

    beforeAll(async () => {
      h = await startHarness({ store: await postgresFactory.open() })
      s = await seed(h, 'replicas')
      const schema = h.store.schema ?? 'public'
      storeB = await openStore({ url: POSTGRES_URL, schema, poolSize: 4 })
      replicaB = await buildServer(
        { webRoot: null, sweepIntervalMs: 0, leaseSeconds: 60 },
        { store: storeB, idp: h.idp, clock: h.clock, logger: silentLogger() },
      )
    })
    afterAll(async () => {
      await replicaB?.close()
      await storeB?.close()
      await h?.close()
      await h?.store.close()
    })

    it('duplicates sent at once to both replicas make one deployment, and all answer it', async () => {
      const url = `/api/v1/environments/${s.environment.id}/deployments`
      const headers = {
        authorization: `Bearer ${s.keys.deployer}`,
        'content-type': 'application/json',
        'idempotency-key': 'burst-1',
      }
      const send = (app: KeylessServer) =>
        app.inject({ method: 'POST', url, headers, payload: '{"type":"task"}' })
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => send(i % 2 === 0 ? h.app : replicaB)),
      )
      expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 201))
      expect(new Set(answers.map((a) => a.json().id)).size).toBe(1)
      const list = (
        await h.call('GET', `/api/v1/organizations/${s.org.id}/deployments?limit=200`)
      ).json().items as Array<{ type: string }>
      expect(list.filter((d) => d.type === 'task')).toHaveLength(1)
    })
  },
)
