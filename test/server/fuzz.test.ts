/** Property: whatever a client sends — any JSON body, any path id, any query — the answer is never a 5xx. */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeFactories } from '../support/stores.js'
import { seed, startHarness, type Harness } from './harness.js'

for (const factory of storeFactories)
  describe.skipIf(!factory.available)(`no 5xx for bad input (${factory.dialect})`, () => {
    let h: Harness
    let s: Awaited<ReturnType<typeof seed>>

    beforeAll(async () => {
      h = await startHarness({ store: await factory.open() })
      s = await seed(h)
    })
    afterAll(async () => {
      await h.close()
      await h.store.close()
    })

    const bodyRoutes = (): Array<[string, string]> => [
      ['POST', '/api/v1/organizations'],
      ['PATCH', `/api/v1/organizations/${s.org.id}`],
      ['POST', `/api/v1/organizations/${s.org.id}/projects`],
      ['POST', `/api/v1/organizations/${s.org.id}/templates`],
      ['PATCH', `/api/v1/templates/${s.template.id}`],
      ['POST', `/api/v1/projects/${s.project.id}/environments`],
      ['PATCH', `/api/v1/environments/${s.environment.id}`],
      ['POST', `/api/v1/organizations/${s.org.id}/credentials`],
      ['PATCH', `/api/v1/credentials/${s.credential.id}`],
      ['PUT', `/api/v1/projects/${s.project.id}/variables/FUZZ`],
      ['POST', `/api/v1/environments/${s.environment.id}/deployments`],
      ['POST', `/api/v1/organizations/${s.org.id}/api-keys`],
      ['POST', `/api/v1/organizations/${s.org.id}/agent-tokens`],
    ]

    it('any JSON body', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 12 }),
          fc.jsonValue({ stringUnit: 'binary' }),
          async (i, body) => {
            const [method, url] = bodyRoutes()[i]!
            const res = await h.call(method, url, { body })
            expect(res.statusCode).toBeLessThan(500)
          },
        ),
        { numRuns: 300 },
      )
    })

    it('any text as a body', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 12 }),
          fc.string({ maxLength: 200, unit: 'binary' }),
          async (i, payload) => {
            const [method, url] = bodyRoutes()[i]!
            const res = await h.call(method, url, { payload })
            expect(res.statusCode).toBeLessThan(500)
          },
        ),
        { numRuns: 200 },
      )
    })

    it('any path id and query', async () => {
      const paths = [
        'organizations',
        'projects',
        'templates',
        'environments',
        'credentials',
        'deployments',
      ]
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...paths),
          fc.string({ maxLength: 80, unit: 'binary' }),
          fc.dictionary(
            fc.constantFrom('cursor', 'limit', 'status', 'environmentId', 'x', 'format', 'after'),
            fc.string({ maxLength: 40 }),
          ),
          async (kind, id, query) => {
            const qs = new URLSearchParams(query).toString()
            const res = await h.call(
              'GET',
              `/api/v1/${kind}/${encodeURIComponent(id)}${qs === '' ? '' : `?${qs}`}`,
            )
            expect(res.statusCode).toBeLessThan(500)
            const list = await h.call(
              'GET',
              `/api/v1/organizations/${s.org.id}/deployments${qs === '' ? '' : `?${qs}`}`,
            )
            expect(list.statusCode).toBeLessThan(500)
          },
        ),
        { numRuns: 200 },
      )
    })

    it('any agent report', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('heartbeat', 'logs', 'status', 'oidc-token'),
          fc.jsonValue({ stringUnit: 'binary' }),
          async (what, body) => {
            const res = await h.call('POST', `/agent/v1/deployments/dep_fuzz/${what}`, {
              key: s.keys.agent,
              body,
            })
            expect(res.statusCode).toBeLessThan(500)
          },
        ),
        { numRuns: 200 },
      )
    })
  })
