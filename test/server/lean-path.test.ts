/**
 * The node:http lean path of the two mint routes (src/server/lean-path.ts) against Fastify, on a
 * table of requests: each is sent over HTTP with a Content-Length (the lean path takes it when it
 * is plain) and again chunked (which only Fastify serves), and both answers must
 * carry the same status, headers (but the date) and body — for a token, the same claims but the
 * jti — and write the same audit rows.
 */
import { request, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed, startHarness, type Harness } from './harness.js'

let h: Harness
let s: Awaited<ReturnType<typeof seed>>
let other: Awaited<ReturnType<typeof seed>>
let base: string
let queued: string
let running: string
let seenByFastify = 0

beforeAll(async () => {
  h = await startHarness()
  // Counts the requests Fastify routes (added before the first request makes the app ready).
  h.app.addHook('onRequest', (_request, _reply, done) => {
    seenByFastify += 1
    done()
  })
  s = await seed(h)
  other = await seed(h, 'globex')
  const create = async () =>
    (await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)).json()
      .id as string
  running = await create()
  await h.call('POST', '/agent/v1/claim', { key: s.keys.agent, body: { waitSeconds: 0 } })
  await h.call('POST', `/agent/v1/deployments/${running}/status`, {
    key: s.keys.agent,
    body: { status: 'running' },
  })
  queued = await create()
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await h.close()
})

interface Case {
  readonly name: string
  readonly path: () => string
  readonly key?: () => string | null
  readonly body?: string
  readonly type?: string
  /** Whether the lean path serves it as sent (false: it goes to Fastify either way). */
  readonly lean: boolean
  readonly status: number
}

const api = (id: () => string) => () => `/api/v1/deployments/${id()}/oidc-token`
const agentPath = (id: () => string) => () => `/agent/v1/deployments/${id()}/oidc-token`
const json = 'application/json'

const cases: readonly Case[] = [
  { name: 'manual mint, no body', path: api(() => queued), lean: true, status: 200 },
  {
    name: 'manual mint, a JSON body',
    path: api(() => queued),
    body: '{"runPhase":"plan"}',
    type: json,
    lean: true,
    status: 200,
  },
  {
    name: 'manual mint, charset in the content type',
    path: api(() => queued),
    body: '{"cloud":"aws"}',
    type: 'application/json; charset=utf-8',
    lean: true,
    status: 200,
  },
  {
    name: 'an empty JSON body',
    path: api(() => queued),
    body: ' ',
    type: json,
    lean: true,
    status: 200,
  },
  {
    name: 'a cloud without a credential',
    path: api(() => queued),
    body: '{"cloud":"azure"}',
    type: json,
    lean: true,
    status: 409,
  },
  {
    name: 'an unknown body field',
    path: api(() => queued),
    body: '{"bogus":1}',
    type: json,
    lean: true,
    status: 400,
  },
  {
    name: 'a bad run phase',
    path: api(() => queued),
    body: '{"runPhase":"later"}',
    type: json,
    lean: true,
    status: 400,
  },
  {
    name: 'a body that is not JSON',
    path: api(() => queued),
    body: '{',
    type: json,
    lean: true,
    status: 400,
  },
  {
    name: 'a body that is an array',
    path: api(() => queued),
    body: '[]',
    type: json,
    lean: true,
    status: 400,
  },
  {
    name: 'a NUL character in the body',
    path: api(() => queued),
    body: '{"runPhase":"pl\\u0000an"}',
    type: json,
    lean: true,
    status: 400,
  },
  {
    name: 'a body that is not JSON and no Authorization',
    path: api(() => queued),
    key: () => null,
    body: '{',
    type: json,
    lean: true,
    status: 400,
  },
  { name: 'no Authorization', path: api(() => queued), key: () => null, lean: true, status: 401 },
  {
    name: 'an unknown API key',
    path: api(() => queued),
    key: () => 'kl_unknown000000000000000000000000000000',
    lean: true,
    status: 401,
  },
  {
    name: 'a viewer (wrong role)',
    path: api(() => queued),
    key: () => s.keys.viewer,
    lean: true,
    status: 403,
  },
  {
    name: 'a deployer (wrong role)',
    path: api(() => queued),
    key: () => s.keys.deployer,
    lean: true,
    status: 403,
  },
  {
    name: "another organization's admin",
    path: api(() => queued),
    key: () => other.keys.admin,
    lean: true,
    status: 404,
  },
  { name: 'an unknown deployment', path: api(() => 'dep_unknown'), lean: true, status: 404 },
  { name: 'an id over 64 characters', path: api(() => 'd'.repeat(65)), lean: false, status: 400 },
  { name: 'a percent-encoded id', path: api(() => 'dep%5Fx'), lean: false, status: 404 },
  {
    name: 'a body that is not JSON by type',
    path: api(() => queued),
    body: 'runPhase=plan',
    type: 'text/plain',
    lean: false,
    status: 400,
  },
  {
    name: 'agent mint',
    path: agentPath(() => running),
    key: () => s.keys.agent,
    lean: true,
    status: 200,
  },
  {
    name: 'agent mint with a run phase',
    path: agentPath(() => running),
    key: () => s.keys.agent,
    body: '{"runPhase":"apply"}',
    type: json,
    lean: true,
    status: 200,
  },
  { name: 'agent route with an API key', path: agentPath(() => running), lean: true, status: 401 },
  {
    name: 'agent mint of a deployment it does not hold',
    path: agentPath(() => queued),
    key: () => s.keys.agent,
    lean: true,
    status: 409,
  },
  {
    name: "another organization's agent",
    path: agentPath(() => running),
    key: () => other.keys.agent,
    lean: true,
    status: 404,
  },
]

/** Over HTTP with a Content-Length (`chunked`: without one, which only Fastify serves). */
async function send(c: Case, chunked: boolean) {
  const key = c.key === undefined ? h.ownerKey : c.key()
  const before = seenByFastify
  const body = c.body ?? ''
  const headers: Record<string, string> = {
    ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    // Chunked without a content type is a body of no type to Fastify: sent as empty JSON.
    ...(c.type === undefined
      ? chunked
        ? { 'content-type': 'application/json' }
        : {}
      : { 'content-type': c.type }),
    ...(chunked
      ? { 'transfer-encoding': 'chunked' }
      : { 'content-length': String(Buffer.byteLength(body)) }),
  }
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(`${base}${c.path()}`, { method: 'POST', headers, agent: false }, resolve)
    req.once('error', reject)
    req.end(body === '' ? undefined : body)
  })
  let text = ''
  for await (const chunk of res) text += String(chunk)
  // In name order: the two paths need not write them in the same order.
  const answered = Object.entries(res.headers)
    .filter(([name]) => name !== 'date')
    .sort(([a], [b]) => a.localeCompare(b))
  return { status: res.statusCode, headers: answered, text, fastify: seenByFastify > before }
}

const auditCount = async () =>
  Number(
    (
      await h.store.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

/** The answer with the token replaced by its claims but the jti (each mint has its own). */
function comparable(text: string): unknown {
  const body = JSON.parse(text) as { token?: string }
  if (body.token === undefined) return body
  const { jti, ...claims } = decodeJwt(body.token)
  expect(jti).toMatch(/^[0-9a-f-]{36}$/u)
  return { ...body, token: claims }
}

async function compare(c: Case): Promise<void> {
  const audits0 = await auditCount()
  const lean = await send(c, false)
  const audits1 = await auditCount()
  const fastify = await send(c, true)
  const audits2 = await auditCount()
  expect(lean.fastify).toBe(!c.lean)
  expect(fastify.fastify).toBe(true)
  expect(lean.status).toBe(c.status)
  expect(fastify.status).toBe(c.status)
  expect(lean.headers).toEqual(fastify.headers)
  expect(comparable(lean.text)).toEqual(comparable(fastify.text))
  expect(audits1 - audits0).toBe(audits2 - audits1)
  expect(audits1 - audits0).toBe(c.status === 200 ? 1 : 0)
}

describe('the lean path of the mint routes answers as Fastify does', () => {
  it.each(cases)('$name', compare)

  it('while the organization has stopped minting', async () => {
    await h.call('PATCH', `/api/v1/organizations/${s.org.id}`, {
      key: s.keys.admin,
      body: { mintingStopped: true },
    })
    try {
      await compare({ name: 'manual', path: api(() => queued), lean: true, status: 409 })
      await compare({
        name: 'agent',
        path: agentPath(() => running),
        key: () => s.keys.agent,
        lean: true,
        status: 409,
      })
    } finally {
      await h.call('PATCH', `/api/v1/organizations/${s.org.id}`, {
        body: { mintingStopped: false },
      })
    }
  })
})
