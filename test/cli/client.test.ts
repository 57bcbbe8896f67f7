/**
 * The one control-plane client (src/client): answers parsed with the contract schemas, error
 * answers read from `{ error: { code, message } }` (the server's message, not `HTTP 404`), and the
 * exit codes of docs/errors.md — an unreachable server is `upstream_unreachable`, exit 5.
 */
import { describe, expect, it } from 'vitest'
import { ControlPlaneClient } from '../../src/client/index.js'
import { errorTable } from '../../src/shared/error-codes.js'
import { KeylessError } from '../../src/shared/errors.js'
import { controlPlane } from '../../src/trust/control-plane.js'

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const refused = (): Promise<Response> =>
  Promise.reject(
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    }),
  )

const PREVIEW = {
  claims: { sub: 'org:o:project:p:environment:e' },
  omittedTags: [],
  roleArn: null,
  roleSource: null,
  durationSeconds: null,
  credentialId: null,
}

const cases: ReadonlyArray<{
  name: string
  answer: () => Promise<Response>
  code: keyof typeof errorTable
  message: RegExp
  exit: number
}> = [
  {
    name: "a 404 carries the server's code and message",
    answer: () =>
      Promise.resolve(
        json(404, { error: { code: 'not_found', message: 'environment env_x not found' } }),
      ),
    code: 'not_found',
    message: /^environment env_x not found$/u,
    exit: 4,
  },
  {
    name: 'minting stopped keeps its own code',
    answer: () =>
      Promise.resolve(
        json(409, {
          error: { code: 'minting_stopped', message: 'minting is stopped', details: {} },
        }),
      ),
    code: 'minting_stopped',
    message: /minting is stopped/u,
    exit: 1,
  },
  {
    name: 'an unknown code falls back to what the status means',
    answer: () => Promise.resolve(json(403, { error: { code: 'brand_new', message: 'no' } })),
    code: 'forbidden',
    message: /^no$/u,
    exit: 3,
  },
  {
    name: 'a proxy 502 without a keyless body is the control plane unreachable',
    answer: () => Promise.resolve(new Response('<html>bad gateway</html>', { status: 502 })),
    code: 'upstream_unreachable',
    message: /HTTP 502/u,
    exit: 5,
  },
  {
    name: 'no answer at all is upstream_unreachable, exit 5',
    answer: refused,
    code: 'upstream_unreachable',
    message: /cannot reach the keyless server at http:\/\/cp\.test: ECONNREFUSED/u,
    exit: 5,
  },
  {
    name: 'an answer that does not match the contract is refused, not cast',
    answer: () => Promise.resolve(json(200, { claims: 'not an object' })),
    code: 'internal_error',
    message: /unexpected body/u,
    exit: 70,
  },
]

describe('ControlPlaneClient', () => {
  it.each(cases)('$name', async ({ answer, code, message, exit }) => {
    const client = new ControlPlaneClient({
      server: 'http://cp.test/',
      apiKey: 'kl_test',
      fetch: answer,
    })
    const error: unknown = await client.environmentPreview('env_x').then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(KeylessError)
    expect(error).toMatchObject({ code })
    expect((error as KeylessError).message).toMatch(message)
    expect(errorTable[code].exit).toBe(exit)
  })

  it('parses a good answer and sends the API key as a bearer token', async () => {
    let seen: Request | undefined
    const client = new ControlPlaneClient({
      server: 'http://cp.test',
      apiKey: 'kl_test',
      fetch: (input, init) => {
        seen = new Request(input, init)
        return Promise.resolve(json(200, PREVIEW))
      },
    })
    expect(await client.environmentPreview('env/x')).toEqual(PREVIEW)
    expect(seen?.url).toBe('http://cp.test/api/v1/environments/env%2Fx/oidc-preview')
    expect(seen?.headers.get('authorization')).toBe('Bearer kl_test')
  })

  it('follows list cursors to the last page', async () => {
    const project = (id: string) => ({
      id,
      organizationId: 'org_1',
      name: id,
      description: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    })
    const pages: Record<string, unknown> = {
      '': { items: [project('prj_1')], nextCursor: 'c1' },
      c1: { items: [project('prj_2')], nextCursor: null },
    }
    const client = new ControlPlaneClient({
      server: 'http://cp.test',
      apiKey: 'k',
      fetch: (input) => {
        const cursor = new URL(new Request(input).url).searchParams.get('cursor') ?? ''
        return Promise.resolve(json(200, pages[cursor]))
      },
    })
    expect((await client.projects('org_1')).map((p) => p.id)).toEqual(['prj_1', 'prj_2'])
  })
})

describe('the trust tools read the control plane through it', () => {
  it("preflight and setup see the server's message, not `HTTP 404`", async () => {
    const cp = controlPlane({
      server: 'http://cp.test',
      apiKey: 'k',
      fetch: () =>
        Promise.resolve(
          json(404, { error: { code: 'not_found', message: 'organization org_x not found' } }),
        ),
    })
    await expect(cp.organizationOidc('org_x')).rejects.toThrow(
      /^GET \/api\/v1\/organizations\/org_x\/oidc: organization org_x not found$/u,
    )
  })
})
