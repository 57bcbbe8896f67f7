/**
 * Idempotent claims (src/platform/queue.ts, docs/deployments.md), on SQLite and PostgreSQL: a
 * claim asked again with the same key while its deployment is still `claimed` answers that
 * deployment again (its first answer was lost) and claims nothing more; any other key, token or
 * agent name, or a deployment that started or went back to the queue, gets no re-delivery. A key
 * given up (`POST /agent/v1/claim/release`, a stopping agent) queues its still-claimed deployment
 * again at once, audited; another key, name or token, or a started deployment, releases nothing. A
 * malformed key is a validation error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimResponseSchema } from '../../src/shared/contracts/agent-api.js'
import { storeFactories } from '../support/stores.js'
import { seed, startHarness, type Harness } from './harness.js'

const K1 = 'key-one_0123456789abcdef'
const K2 = 'key-two_0123456789abcdef'

/** One step of a case: a claim (expecting deployment #n of the case, or none), or a change. */
type Step =
  | {
      claim: { by?: 'agent' | 'other'; claimKey?: string; agentName?: string }
      gets: number | null
      /** The lease the answer carries: `same` as the claim step it re-delivers, or a `new` one. */
      lease?: 'same' | 'new'
    }
  | { start: number }
  | { release: number }
  /** Gives the claim attempt with this key up (the agent stops); `released`: the one requeued. */
  | { releaseClaim: { claimKey: string; agentName?: string }; released: number | null }
  | { advanceSeconds: number }

interface Case {
  readonly name: string
  /** Deployments queued first, each in its own environment, oldest first. */
  readonly queued: number
  readonly steps: readonly Step[]
}

const cases: readonly Case[] = [
  {
    name: 'the same key twice answers the same deployment and claims no second one',
    queued: 2,
    steps: [
      { claim: { claimKey: K1 }, gets: 0 },
      { claim: { claimKey: K1 }, gets: 0 },
      { claim: {}, gets: 1 },
    ],
  },
  {
    name: 'a re-delivery keeps the lease as it is (extends nothing)',
    queued: 1,
    steps: [
      { claim: { claimKey: K1, agentName: 'host-1' }, gets: 0, lease: 'new' },
      { advanceSeconds: 20 },
      { claim: { claimKey: K1, agentName: 'host-1' }, gets: 0, lease: 'same' },
    ],
  },
  {
    name: 'a different key claims the next deployment',
    queued: 2,
    steps: [
      { claim: { claimKey: K1 }, gets: 0 },
      { claim: { claimKey: K2 }, gets: 1 },
      { claim: { claimKey: K2 }, gets: 1 },
    ],
  },
  {
    name: 'the key of a deployment already running returns nothing of it',
    queued: 2,
    steps: [
      { claim: { claimKey: K1 }, gets: 0 },
      { start: 0 },
      { claim: { claimKey: K1 }, gets: 1 },
      { start: 1 },
      { claim: { claimKey: K1 }, gets: null },
    ],
  },
  {
    name: 'the key of a deployment handed back returns nothing of it while it is queued',
    queued: 1,
    steps: [
      { claim: { claimKey: K1 }, gets: 0 },
      { release: 0 },
      { claim: { by: 'other', claimKey: K1 }, gets: 0 },
      { claim: { claimKey: K1 }, gets: null },
    ],
  },
  {
    name: 'giving a key up queues its claimed deployment again at once, for anyone',
    queued: 1,
    steps: [
      { claim: { claimKey: K1, agentName: 'host-1' }, gets: 0 },
      { releaseClaim: { claimKey: K1, agentName: 'host-1' }, released: 0 },
      { claim: { by: 'other', claimKey: K2 }, gets: 0 },
      { claim: { claimKey: K1, agentName: 'host-1' }, gets: null },
    ],
  },
  {
    name: 'giving up the key of a started deployment releases nothing',
    queued: 1,
    steps: [
      { claim: { claimKey: K1 }, gets: 0 },
      { start: 0 },
      { releaseClaim: { claimKey: K1 }, released: null },
      { claim: { by: 'other' }, gets: null },
    ],
  },
  {
    name: 'giving up another key, agent name or token releases nothing',
    queued: 1,
    steps: [
      { claim: { claimKey: K1, agentName: 'host-1' }, gets: 0 },
      { releaseClaim: { claimKey: K2, agentName: 'host-1' }, released: null },
      { releaseClaim: { claimKey: K1, agentName: 'host-2' }, released: null },
      { claim: { by: 'other' }, gets: null },
      { releaseClaim: { claimKey: K1 }, released: 0 },
      { claim: { by: 'other' }, gets: 0 },
    ],
  },
  {
    name: 'another agent token with the same key gets the next deployment, not this one',
    queued: 2,
    steps: [
      { claim: { claimKey: K1 }, gets: 0 },
      { claim: { by: 'other', claimKey: K1 }, gets: 1 },
      { claim: { by: 'other', claimKey: K1 }, gets: 1 },
    ],
  },
  {
    name: 'another agent name with the same key gets the next deployment',
    queued: 2,
    steps: [
      { claim: { claimKey: K1, agentName: 'host-1' }, gets: 0 },
      { claim: { claimKey: K1, agentName: 'host-2' }, gets: 1 },
    ],
  },
]

const invalidKeys: ReadonlyArray<readonly [string, unknown]> = [
  ['too short', 'short-key-123'],
  ['too long', 'k'.repeat(65)],
  ['a character outside the alphabet', 'key with spaces 0123'],
  ['not a string', 1234567890123456],
]

for (const factory of storeFactories) {
  describe.skipIf(!factory.available)(`idempotent claims (${factory.dialect})`, () => {
    let h: Harness
    beforeAll(async () => {
      h = await startHarness({ store: await factory.open() })
    })
    afterAll(async () => {
      await h.close()
      await h.store.close()
    })

    cases.forEach((c, index) => {
      it(c.name, async () => {
        const s = await seed(h, `claim-key-${index}`)
        const other = (
          await h.call('POST', `/api/v1/organizations/${s.org.id}/agent-tokens`, {
            body: { name: 'agent-2' },
          })
        ).json().token as string
        const ids: string[] = []
        for (let i = 0; i < c.queued; i++) {
          const env =
            i === 0
              ? s.environment.id
              : (
                  await h.call('POST', `/api/v1/projects/${s.project.id}/environments`, {
                    body: { name: `env-${i}`, templateId: s.template.id },
                  })
                ).json().id
          ids.push((await h.call('POST', `/api/v1/environments/${env}/deployments`)).json().id)
        }
        const agent = (path: string, body: unknown, by: 'agent' | 'other' = 'agent') =>
          h.call('POST', path, { key: by === 'agent' ? s.keys.agent : other, body })
        const leases: string[] = []
        for (const step of c.steps) {
          if ('start' in step) {
            const res = await agent(`/agent/v1/deployments/${ids[step.start]}/status`, {
              status: 'running',
            })
            expect(res.statusCode).toBe(200)
          } else if ('release' in step) {
            const res = await agent(`/agent/v1/deployments/${ids[step.release]}/release`, {})
            expect(res.statusCode).toBe(200)
          } else if ('releaseClaim' in step) {
            const res = await agent('/agent/v1/claim/release', step.releaseClaim)
            if (step.released === null) {
              expect(res.statusCode, res.body).toBe(204)
              continue
            }
            expect(res.statusCode, res.body).toBe(200)
            expect(res.json().deployment).toMatchObject({
              id: ids[step.released],
              status: 'queued',
            })
          } else if ('advanceSeconds' in step) {
            h.clock.advance(step.advanceSeconds * 1000)
          } else {
            const { by, ...body } = step.claim
            const res = await agent('/agent/v1/claim', { waitSeconds: 0, ...body }, by)
            if (step.gets === null) {
              expect(res.statusCode).toBe(204)
              continue
            }
            expect(res.statusCode, res.body).toBe(200)
            const claim = claimResponseSchema.parse(res.json())
            expect(claim.deployment.id).toBe(ids[step.gets])
            expect(claim.deployment.status).toBe('claimed')
            if (step.lease === 'same') expect(claim.leaseExpiresAt).toBe(leases.at(-1))
            if (step.lease === 'new') expect(leases).not.toContain(claim.leaseExpiresAt)
            leases.push(claim.leaseExpiresAt)
          }
        }
        const claimed = await h.store.db
          .selectFrom('audit_events')
          .select('deployment_id')
          .where('action', '=', 'deployment.claimed')
          .where('deployment_id', 'in', ids)
          .execute()
        // One claim per deployment that was handed out, however often its key was asked again.
        const handedOut = new Set(
          c.steps.flatMap((step) =>
            'claim' in step && step.gets !== null ? [ids[step.gets]!] : [],
          ),
        )
        const released = c.steps.filter(
          (step) => 'release' in step || ('releaseClaim' in step && step.released !== null),
        ).length
        expect(claimed).toHaveLength(handedOut.size + released)
        // Each one back in the queue at once is audited as requeued, saying why.
        const requeued = await h.store.db
          .selectFrom('audit_events')
          .select('details')
          .where('action', '=', 'deployment.requeued')
          .where('deployment_id', 'in', ids)
          .execute()
        expect(requeued).toHaveLength(released)
        // Every other answer that carried a deployment was a re-delivery, audited as one.
        const redelivered = await h.store.db
          .selectFrom('audit_events')
          .select('deployment_id')
          .where('action', '=', 'deployment.claim_redelivered')
          .where('deployment_id', 'in', ids)
          .execute()
        const answered = c.steps.filter((step) => 'claim' in step && step.gets !== null).length
        expect(redelivered).toHaveLength(answered - claimed.length)
      })
    })

    it.each(invalidKeys)(
      'refuses a claim key that is %s (400 validation_failed)',
      async (_, key) => {
        const s = await seed(h, `claim-key-invalid-${String(key).length}`)
        const res = await h.call('POST', '/agent/v1/claim', {
          key: s.keys.agent,
          body: { waitSeconds: 0, claimKey: key },
        })
        expect(res.statusCode).toBe(400)
        expect(res.json().error).toMatchObject({
          code: 'validation_failed',
          details: { fields: [expect.objectContaining({ path: 'claimKey' })] },
        })
      },
    )
  })
}
