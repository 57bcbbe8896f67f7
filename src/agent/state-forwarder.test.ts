/**
 * The agent's state forwarder (src/agent/state-forwarder.ts) in front of a real keyless state
 * backend (test/state/support.ts, SQLite), speaking Terraform's http-backend protocol: a first
 * replica that refuses connections or answers 503 is left for the next one (small bodies and
 * bodiless requests are sent there by the forwarder, a streamed large body by the client's own
 * retry), a 4xx is the answer and moves nothing, nor does a client that goes away, bodies and their Content-Length / Content-MD5
 * arrive intact, and neither the state password nor the state reaches the log.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../test/e2e/support/stack.js'
import { startStateWorld, type StateWorld } from '../../test/state/support.js'
import { sqliteFactory } from '../../test/support/stores.js'
import { Replicas } from './replicas.js'
import { REPLAY_LIMIT_BYTES, StateForwarder } from './state-forwarder.js'

let world: StateWorld
/** A replica that answers every request with 503 (draining, or its database is gone). */
let draining: Server
let drainingUrl: string
let drainingHits = 0
/** A port nothing listens on: the connection is refused. */
let deadUrl: string
const logged: string[] = []
/** Every state password handed out here: none may reach the log. */
const passwords: string[] = []
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(chunk.toString('utf8'))
      done()
    },
  }),
)

beforeAll(async () => {
  world = await startStateWorld(sqliteFactory)
  draining = createServer((req, res) => {
    drainingHits += 1
    req.resume()
    req.on('end', () =>
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end('{"error":{"code":"database_unavailable","message":"retry"}}'),
    )
  })
  await new Promise<void>((resolve) => draining.listen(0, '127.0.0.1', resolve))
  drainingUrl = `http://127.0.0.1:${(draining.address() as AddressInfo).port}`
  deadUrl = `http://127.0.0.1:${await freePort()}`
}, 60_000)

afterAll(async () => {
  await new Promise((resolve) => draining.close(resolve))
  await world.close()
})

/** A Terraform state document of about `size` bytes. */
function stateOf(serial: number, lineage: string, size = 0): Buffer {
  return Buffer.from(
    JSON.stringify({
      version: 4,
      terraform_version: '1.9.0',
      serial,
      lineage,
      outputs: { padding: { value: 'x'.repeat(size), type: 'string' } },
      resources: [],
      check_results: null,
    }),
  )
}

interface Call {
  readonly status: number
  readonly body: Buffer
  readonly headers: Headers
}

async function call(
  forwarder: StateForwarder,
  method: string,
  path: string,
  password: string,
  body?: Buffer,
): Promise<Call> {
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`keyless:${password}`).toString('base64')}`,
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json'
    headers['content-md5'] = createHash('md5').update(body).digest('base64')
  }
  const res = await fetch(`${forwarder.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: new Uint8Array(body) }),
    signal: AbortSignal.timeout(30_000),
  })
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers }
}

/** A claimed deployment of a fresh environment, its forwarder and its paths. */
async function deployment(first: string) {
  const environmentId = await world.environment(`env-${randomBytes(4).toString('hex')}`)
  const { id, password } = await world.start(environmentId)
  passwords.push(password)
  const replicas = new Replicas([first, world.url])
  const forwarder = await StateForwarder.open({ replicas, environmentId, logger })
  const state = `/api/v1/environments/${environmentId}/state`
  return { id, password, replicas, forwarder, state, lock: `${state}/lock`, environmentId }
}

/** Waits (bounded) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const lockInfo = (id: string): Buffer =>
  Buffer.from(
    JSON.stringify({
      ID: id,
      Operation: 'OperationTypeApply',
      Info: '',
      Who: 'tests@agent',
      Version: '1.9.0',
      Created: new Date().toISOString(),
      Path: '',
    }),
  )

const GONE_CASES = [
  { name: 'refuses the connection', first: () => deadUrl },
  { name: 'answers 503', first: () => drainingUrl },
] as const

describe('the state forwarder', () => {
  it.each(GONE_CASES)(
    'moves on when the first replica $name: lock, write, read, unlock',
    async ({ first }) => {
      const d = await deployment(first())
      try {
        const lineage = randomBytes(8).toString('hex')
        const lockId = randomBytes(8).toString('hex')
        const lock = await call(d.forwarder, 'LOCK', d.lock, d.password, lockInfo(lockId))
        expect(lock.status, lock.body.toString()).toBe(200)
        expect(d.replicas.current).toBe(1)
        const state = stateOf(1, lineage, 1000)
        const written = await call(
          d.forwarder,
          'POST',
          `${d.state}?ID=${lockId}`,
          d.password,
          state,
        )
        expect(written.status, written.body.toString()).toBe(200)
        const read = await call(d.forwarder, 'GET', d.state, d.password)
        expect(read.status).toBe(200)
        expect(read.body.equals(state)).toBe(true)
        const unlock = await call(d.forwarder, 'UNLOCK', d.lock, d.password, lockInfo(lockId))
        expect(unlock.status, unlock.body.toString()).toBe(200)
        const held = await world.h.call('GET', d.lock, { key: world.keys.admin })
        expect(held.json()).toMatchObject({ lock: null })
      } finally {
        await d.forwarder.close()
      }
    },
    60_000,
  )

  it('streams a large state both ways, Content-Length and Content-MD5 intact', async () => {
    // A refused connection moves even a streamed body on: nothing of it was read yet.
    const d = await deployment(deadUrl)
    try {
      const state = stateOf(1, randomBytes(8).toString('hex'), 3 * REPLAY_LIMIT_BYTES)
      const written = await call(d.forwarder, 'POST', d.state, d.password, state)
      expect(written.status, written.body.toString()).toBe(200)
      const read = await call(d.forwarder, 'GET', d.state, d.password)
      expect(read.status).toBe(200)
      expect(read.headers.get('content-length')).toBe(String(state.length))
      expect(read.headers.get('content-md5')).toBe(createHash('md5').update(state).digest('base64'))
      expect(read.body.equals(state)).toBe(true)
    } finally {
      await d.forwarder.close()
    }
  }, 60_000)

  it('passes a 503 on for a streamed body; the retry goes to the next replica', async () => {
    const d = await deployment(drainingUrl)
    try {
      const before = drainingHits
      const state = stateOf(1, randomBytes(8).toString('hex'), 2 * REPLAY_LIMIT_BYTES)
      const first = await call(d.forwarder, 'POST', d.state, d.password, state)
      expect(first.status).toBe(503)
      expect(drainingHits).toBe(before + 1)
      expect(d.replicas.current).toBe(1)
      const retry = await call(d.forwarder, 'POST', d.state, d.password, state)
      expect(retry.status, retry.body.toString()).toBe(200)
      expect((await call(d.forwarder, 'GET', d.state, d.password)).body.equals(state)).toBe(true)
    } finally {
      await d.forwarder.close()
    }
  }, 60_000)

  it('answers a 4xx as it is and stays on the replica', async () => {
    const d = await deployment(world.url)
    try {
      const refused = await call(d.forwarder, 'GET', d.state, 'not-the-password')
      expect(refused.status).toBe(401)
      expect(refused.headers.get('www-authenticate')).toContain('Basic')
      const lockId = randomBytes(8).toString('hex')
      expect((await call(d.forwarder, 'LOCK', d.lock, d.password, lockInfo(lockId))).status).toBe(
        200,
      )
      const taken = await call(d.forwarder, 'LOCK', d.lock, d.password, lockInfo('someone-else'))
      expect(taken.status).toBe(423)
      expect(JSON.parse(taken.body.toString())).toMatchObject({ ID: lockId })
      expect(d.replicas.current).toBe(0)
    } finally {
      await d.forwarder.close()
    }
  }, 60_000)

  it("forwards only its deployment's state paths and methods", async () => {
    const d = await deployment(world.url)
    const other = await world.environment(`other-${randomBytes(4).toString('hex')}`)
    try {
      const cases = [
        { method: 'GET', path: `/api/v1/environments/${other}/state`, status: 404 },
        { method: 'GET', path: '/api/v1/organizations', status: 404 },
        { method: 'GET', path: `${d.state}/versions`, status: 404 },
        { method: 'PUT', path: d.state, status: 400 },
        { method: 'GET', path: d.lock, status: 400 },
      ]
      for (const c of cases) {
        const res = await call(d.forwarder, c.method, c.path, d.password)
        expect({ ...c, status: res.status }).toEqual(c)
      }
    } finally {
      await d.forwarder.close()
    }
  }, 60_000)

  it('moves nothing when the client goes away while the replica is silent', async () => {
    const held: Array<() => void> = []
    let cut = false
    const silent = createServer((req, res) => {
      req.resume()
      req.socket.once('close', () => (cut = true))
      held.push(() => res.destroy())
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const d = await deployment(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`)
    try {
      const gone = new AbortController()
      const asked = fetch(`${d.forwarder.url}${d.state}`, { signal: gone.signal })
      await until(() => held.length === 1)
      gone.abort()
      await expect(asked).rejects.toThrow()
      // The forwarder drops its request too; a move would have followed at once (and been logged).
      await until(() => cut)
      await new Promise((r) => setTimeout(r, 200))
      expect(d.replicas.current).toBe(0)
      expect(logged.join('')).not.toContain(
        `"from":"http://127.0.0.1:${(silent.address() as AddressInfo).port}"`,
      )
    } finally {
      for (const end of held) end()
      await d.forwarder.close()
      await new Promise((resolve) => silent.close(resolve))
    }
  }, 60_000)

  it('logs the moves, never the state password, its header or the state', () => {
    const text = logged.join('')
    expect(text).toMatch(/moved to the next one/u)
    expect(text).not.toMatch(/authorization|Basic /iu)
    expect(text).not.toContain('padding')
    expect(passwords.length).toBeGreaterThan(0)
    for (const p of passwords) {
      expect(text).not.toContain(p)
      expect(text).not.toContain(Buffer.from(`keyless:${p}`).toString('base64'))
    }
    for (const line of logged) {
      const entry = JSON.parse(line) as Record<string, unknown>
      expect(entry['msg']).toBeTypeOf('string')
    }
  })
})
