/**
 * The state backend's HTTP protocol and who may do what, as data: each case runs its requests on
 * a fresh environment and checks every answer (status and stable error code), then what is left:
 * the number of versions and the lock. On SQLite and PostgreSQL.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeFactories } from '../support/stores.js'
import { startStateWorld, type StateWorld } from './support.js'

const LIMIT = 8192

function state(serial: number, lineage = 'lineage-1', extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ version: 4, terraform_version: '1.11.0', serial, lineage, outputs: {}, resources: [], ...extra }, null, 2)}\n`
}
const lock = (id: string) =>
  JSON.stringify({ ID: id, Operation: 'OperationTypeApply', Who: 'ci@runner', Version: '1.11.0' })

/** Who sends a request: the running deployment, other credentials, or nobody. */
type As =
  | 'deployment'
  | 'finished'
  | 'other-env'
  | 'admin'
  | 'deployer'
  | 'viewer'
  | 'foreign-admin'
  | 'none'
  | 'wrong-user'

interface Step {
  readonly as?: As
  readonly method: string
  /** Relative to `/api/v1/environments/{id}`. */
  readonly path: string
  readonly body?: string
  readonly headers?: Record<string, string>
  readonly status: number
  readonly code?: string
  /** The `ID` of the LockInfo answered with a 423 to LOCK. */
  readonly holder?: string
}

interface Case {
  readonly name: string
  readonly steps: readonly Step[]
  readonly versions: number
  readonly locked: string | null
}

const put = (body: string, query = '', extra: Partial<Step> = {}): Step => ({
  method: 'POST',
  path: `/state${query}`,
  body,
  status: 200,
  ...extra,
})

const cases: readonly Case[] = [
  {
    name: 'no state yet: 204',
    steps: [{ method: 'GET', path: '/state', status: 204 }],
    versions: 0,
    locked: null,
  },
  {
    name: 'garbage body',
    steps: [put('%%% not json', '', { status: 400, code: 'state_invalid' })],
    versions: 0,
    locked: null,
  },
  {
    name: 'truncated JSON',
    steps: [put(state(1).slice(0, 40), '', { status: 400, code: 'state_invalid' })],
    versions: 0,
    locked: null,
  },
  {
    name: 'JSON that is not a state',
    steps: [
      put('{"hello":"world"}', '', { status: 400, code: 'state_invalid' }),
      put('[1,2]', '', { status: 400, code: 'state_invalid' }),
    ],
    versions: 0,
    locked: null,
  },
  {
    name: 'empty body',
    steps: [put('', '', { status: 400, code: 'state_invalid' })],
    versions: 0,
    locked: null,
  },
  {
    name: 'Content-MD5 that does not match (truncated upload)',
    steps: [
      put(state(1), '', {
        headers: { 'content-md5': createHash('md5').update(state(2)).digest('base64') },
        status: 400,
        code: 'state_invalid',
      }),
    ],
    versions: 0,
    locked: null,
  },
  {
    name: 'a body over the limit',
    steps: [
      put(state(1, 'lineage-1', { padding: 'x'.repeat(LIMIT) }), '', {
        status: 413,
        code: 'state_too_large',
      }),
    ],
    versions: 0,
    locked: null,
  },
  {
    name: 'write then read back',
    steps: [put(state(1)), { method: 'GET', path: '/state', status: 200 }],
    versions: 1,
    locked: null,
  },
  {
    name: 'a write equal to the latest writes no version',
    steps: [put(state(1)), put(state(1))],
    versions: 1,
    locked: null,
  },
  {
    name: 'a serial not greater than the latest',
    steps: [
      put(state(3)),
      put(state(2), '', { status: 409, code: 'state_serial_conflict' }),
      put(state(3, 'lineage-1', { x: 1 }), '', { status: 409, code: 'state_serial_conflict' }),
    ],
    versions: 1,
    locked: null,
  },
  {
    name: 'another lineage is refused unless forced',
    steps: [
      put(state(1)),
      put(state(2, 'lineage-2'), '', { status: 409, code: 'state_lineage_mismatch' }),
      put(state(2, 'lineage-2'), '?force=true'),
    ],
    versions: 2,
    locked: null,
  },
  {
    name: 'LockInfo without an ID',
    steps: [
      {
        method: 'LOCK',
        path: '/state/lock',
        body: '{"Operation":"x"}',
        status: 400,
        code: 'lock_info_invalid',
      },
    ],
    versions: 0,
    locked: null,
  },
  {
    name: 'LockInfo that is not JSON',
    steps: [
      {
        method: 'LOCK',
        path: '/state/lock',
        body: 'lock me',
        status: 400,
        code: 'lock_info_invalid',
      },
    ],
    versions: 0,
    locked: null,
  },
  {
    name: 'a second LOCK: 423 with the holder',
    steps: [
      { method: 'LOCK', path: '/state/lock', body: lock('first'), status: 200 },
      {
        method: 'LOCK',
        path: '/state/lock',
        body: lock('second'),
        status: 423,
        code: 'state_locked',
        holder: 'first',
      },
    ],
    versions: 0,
    locked: 'first',
  },
  {
    name: 'UNLOCK with the wrong ID keeps the lock',
    steps: [
      { method: 'LOCK', path: '/state/lock', body: lock('mine'), status: 200 },
      {
        method: 'UNLOCK',
        path: '/state/lock',
        body: lock('yours'),
        status: 409,
        code: 'state_lock_mismatch',
      },
    ],
    versions: 0,
    locked: 'mine',
  },
  {
    name: 'LOCK, write with the ID, UNLOCK',
    steps: [
      { method: 'LOCK', path: '/state/lock', body: lock('L'), status: 200 },
      put(state(1), '', { status: 423, code: 'state_locked' }),
      put(state(1), '?ID=other', { status: 409, code: 'state_lock_mismatch' }),
      put(state(1), '?ID=L'),
      { method: 'UNLOCK', path: '/state/lock', body: lock('L'), status: 200 },
    ],
    versions: 1,
    locked: null,
  },
  {
    name: 'a write naming a lock that is not held',
    steps: [put(state(1), '?ID=lost', { status: 409, code: 'state_lock_mismatch' })],
    versions: 0,
    locked: null,
  },
  {
    name: 'no credentials',
    steps: [{ as: 'none', method: 'GET', path: '/state', status: 401, code: 'unauthorized' }],
    versions: 0,
    locked: null,
  },
  {
    name: 'another user name',
    steps: [{ as: 'wrong-user', method: 'GET', path: '/state', status: 401, code: 'unauthorized' }],
    versions: 0,
    locked: null,
  },
  {
    name: "another environment's password",
    steps: [
      { as: 'other-env', ...put(state(1)), status: 401, code: 'unauthorized' },
      {
        as: 'other-env',
        method: 'LOCK',
        path: '/state/lock',
        body: lock('x'),
        status: 401,
        code: 'unauthorized',
      },
    ],
    versions: 0,
    locked: null,
  },
  {
    name: "a finished deployment's password",
    steps: [
      { as: 'finished', method: 'GET', path: '/state', status: 401, code: 'unauthorized' },
      { as: 'finished', ...put(state(1)), status: 401, code: 'unauthorized' },
    ],
    versions: 0,
    locked: null,
  },
  {
    name: 'API keys: admin reads, never writes or locks; deployers and viewers read nothing; other organizations see nothing',
    steps: [
      put(
        state(1, 'lineage-1', {
          outputs: { token: { value: 's3cr3t', type: 'string', sensitive: true } },
        }),
      ),
      { as: 'admin', method: 'GET', path: '/state', status: 200 },
      { as: 'admin', ...put(state(2)), status: 403, code: 'forbidden' },
      {
        as: 'admin',
        method: 'LOCK',
        path: '/state/lock',
        body: lock('admin'),
        status: 403,
        code: 'forbidden',
      },
      { as: 'deployer', method: 'GET', path: '/state', status: 403, code: 'forbidden' },
      { as: 'viewer', method: 'GET', path: '/state', status: 403, code: 'forbidden' },
      { as: 'viewer', method: 'GET', path: '/state/versions', status: 403, code: 'forbidden' },
      { as: 'deployer', method: 'GET', path: '/state/versions/1', status: 403, code: 'forbidden' },
      { as: 'viewer', method: 'GET', path: '/state/outputs', status: 200 },
      { as: 'foreign-admin', method: 'GET', path: '/state', status: 404, code: 'not_found' },
      {
        as: 'foreign-admin',
        method: 'GET',
        path: '/state/outputs',
        status: 404,
        code: 'not_found',
      },
      { as: 'admin', method: 'GET', path: '/state/versions', status: 200 },
      { as: 'admin', method: 'GET', path: '/state/versions/1', status: 200 },
    ],
    versions: 1,
    locked: null,
  },
  {
    name: 'restore of a version that does not exist',
    steps: [
      put(state(1)),
      {
        as: 'admin',
        method: 'POST',
        path: '/state/versions/7/restore',
        status: 404,
        code: 'state_version_not_found',
      },
      {
        as: 'admin',
        method: 'GET',
        path: '/state/versions/7',
        status: 404,
        code: 'state_version_not_found',
      },
    ],
    versions: 1,
    locked: null,
  },
  {
    name: 'restore refused while a deployment holds the environment; force-unlock is admin only',
    steps: [
      put(state(1)),
      put(state(2)),
      {
        as: 'admin',
        method: 'POST',
        path: '/state/versions/1/restore',
        status: 409,
        code: 'invalid_state',
      },
      { method: 'LOCK', path: '/state/lock', body: lock('held'), status: 200 },
      { as: 'deployer', method: 'DELETE', path: '/state/lock', status: 403, code: 'forbidden' },
      { as: 'admin', method: 'DELETE', path: '/state/lock', status: 200 },
      { as: 'admin', method: 'DELETE', path: '/state/lock', status: 409, code: 'invalid_state' },
    ],
    versions: 2,
    locked: null,
  },
  {
    name: 'a bad serial in the path',
    steps: [
      {
        as: 'admin',
        method: 'GET',
        path: '/state/versions/abc',
        status: 400,
        code: 'validation_failed',
      },
    ],
    versions: 0,
    locked: null,
  },
]

for (const factory of storeFactories) {
  describe.skipIf(!factory.available)(`state backend protocol (${factory.dialect})`, () => {
    let world: StateWorld
    let foreignAdmin = ''
    beforeAll(async () => {
      world = await startStateWorld(factory, { stateMaxBytes: LIMIT })
      const org = (
        await world.h.call('POST', '/api/v1/organizations', { body: { name: 'other' } })
      ).json()
      foreignAdmin = (
        await world.h.call('POST', `/api/v1/organizations/${org.id}/api-keys`, {
          body: { role: 'admin', email: 'a@other.example' },
        })
      ).json().key
    })
    afterAll(async () => {
      await world?.close()
    })

    it.each(cases)('$name', async ({ steps, versions, locked }) => {
      const env = await world.environment(`env-${Math.random().toString(36).slice(2, 8)}`)
      const other = await world.environment(`env-${Math.random().toString(36).slice(2, 8)}`)
      const finished = await world.start(env)
      await world.finish(finished.id)
      const otherDep = await world.start(other)
      const running = await world.start(env)
      const basic = (password: string, user = 'keyless') =>
        `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
      const auth: Record<As, string | undefined> = {
        deployment: basic(running.password),
        finished: basic(finished.password),
        'other-env': basic(otherDep.password),
        'wrong-user': basic(running.password, 'terraform'),
        admin: `Bearer ${world.keys.admin}`,
        deployer: `Bearer ${world.keys.deployer}`,
        viewer: `Bearer ${world.keys.viewer}`,
        'foreign-admin': `Bearer ${foreignAdmin}`,
        none: undefined,
      }
      for (const step of steps) {
        const a = auth[step.as ?? 'deployment']
        const res = await fetch(`${world.url}/api/v1/environments/${env}${step.path}`, {
          method: step.method,
          headers: {
            ...(a === undefined ? {} : { authorization: a }),
            ...(step.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...step.headers,
          },
          ...(step.body === undefined ? {} : { body: step.body }),
        })
        const text = await res.text()
        const label = `${step.as ?? 'deployment'} ${step.method} ${step.path}: ${text.slice(0, 300)}`
        expect(res.status, label).toBe(step.status)
        if (step.status === 204) expect(text).toBe('')
        if (step.code !== undefined) expect(JSON.parse(text).error.code, label).toBe(step.code)
        if (step.holder !== undefined) expect(JSON.parse(text).ID).toBe(step.holder)
        if (step.as === 'viewer' || step.as === 'deployer' || step.as === 'foreign-admin')
          expect(text, label).not.toContain('s3cr3t')
      }
      const count = await world.h.store.db
        .selectFrom('state_versions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('environment_id', '=', env)
        .executeTakeFirstOrThrow()
      expect(Number(count.n)).toBe(versions)
      const lockRow = await world.h.store.db
        .selectFrom('state_locks')
        .select('lock_id')
        .where('environment_id', '=', env)
        .executeTakeFirst()
      expect(lockRow?.lock_id ?? null).toBe(locked)
      await world.finish(running.id)
      await world.finish(otherDep.id)
    })

    it('restores an old version as the next serial, audited, and serves it', async () => {
      const env = await world.environment('restore-env')
      const dep = await world.start(env)
      const auth = {
        authorization: `Basic ${Buffer.from(`keyless:${dep.password}`).toString('base64')}`,
        'content-type': 'application/json',
      }
      const one = state(1, 'lin', { outputs: { v: { value: 'one', type: 'string' } } })
      for (const body of [
        one,
        state(2, 'lin', { outputs: { v: { value: 'two', type: 'string' } } }),
      ])
        expect(
          (
            await fetch(`${world.url}/api/v1/environments/${env}/state`, {
              method: 'POST',
              headers: auth,
              body,
            })
          ).status,
        ).toBe(200)
      await world.finish(dep.id)
      const restored = await world.h.call(
        'POST',
        `/api/v1/environments/${env}/state/versions/1/restore`,
        { key: world.keys.admin },
      )
      expect(restored.statusCode).toBe(201)
      expect(restored.json()).toMatchObject({
        serial: 3,
        lineage: 'lin',
        restoredFrom: 1,
        deploymentId: null,
        createdBy: 'admin@acme.example',
      })
      const served = await world.h.call('GET', `/api/v1/environments/${env}/state`, {
        key: world.keys.admin,
      })
      expect(JSON.parse(served.body)).toMatchObject({ serial: 3, outputs: { v: { value: 'one' } } })
      expect(createHash('sha256').update(served.rawPayload).digest('hex')).toBe(
        restored.json().sha256,
      )
      expect(served.body).toBe(one.replace('"serial": 1', '"serial": 3'))
      const audit = (
        await world.h.call(
          'GET',
          `/api/v1/organizations/${world.ids.org}/audit?action=state.restored`,
        )
      ).json()
      expect(JSON.stringify(audit)).toContain('state.restored')
      const sealed = await world.h.store.db
        .selectFrom('state_versions')
        .select('body')
        .where('environment_id', '=', env)
        .execute()
      for (const row of sealed) {
        expect(row.body.startsWith('v1.')).toBe(true)
        expect(row.body).not.toContain('one')
        expect(
          Buffer.from(row.body.split('.')[3] ?? '', 'base64url').toString('latin1'),
        ).not.toContain('lin')
      }
    })
  })
}
