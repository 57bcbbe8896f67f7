/** Health, metrics, the OpenAPI document, the web console, and what the client sees on failure. */
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed, startHarness, type Harness } from './harness.js'

describe('system routes', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h.close()
  })

  it('answers /healthz without a key', async () => {
    const res = await h.call('GET', '/healthz', { key: null })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true })
  })

  it('exposes Prometheus metrics', async () => {
    await seed(h)
    const res = await h.call('GET', '/metrics', { key: null })
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    expect(res.body).toMatch(
      /keyless_http_requests_total\{method="POST",route="\/api\/v1\/organizations",status="201"\} 1/,
    )
    expect(res.body).toContain('keyless_http_request_duration_seconds_bucket')
    expect(res.body).toContain('process_resident_memory_bytes')
  })

  it('publishes an OpenAPI 3 document generated from every route', async () => {
    const doc = (await h.call('GET', '/api/v1/openapi.json', { key: null })).json()
    expect(doc.openapi).toMatch(/^3\./)
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    )
    for (const op of [
      'POST /api/v1/organizations',
      'PATCH /api/v1/organizations/{id}',
      'PUT /api/v1/projects/{id}/credentials/{credentialId}',
      'PUT /api/v1/environments/{id}/variables/{name}',
      'GET /api/v1/deployments/{id}/logs',
      'POST /agent/v1/claim',
      'POST /agent/v1/deployments/{id}/oidc-token',
      'GET /api/v1/organizations/{id}/oidc',
    ])
      expect(operations).toContain(op)
    const create = doc.paths['/api/v1/organizations/{id}/credentials'].post
    // One request shape per cloud, told apart by `type` (aws-oidc first; azure-oidc; gcp-oidc).
    const [aws, azure, gcp] = create.requestBody.content['application/json'].schema.oneOf
    expect(aws.properties.durationSeconds).toMatchObject({ minimum: 900, maximum: 43200 })
    expect(aws.additionalProperties).toBe(false)
    expect(azure.properties.type).toMatchObject({ const: 'azure-oidc' })
    expect(azure.required).toEqual(expect.arrayContaining(['tenantId', 'clientId']))
    expect(gcp.properties.audience).toMatchObject({ maxLength: 256 })
    const answer = create.responses['201'].content['application/json'].schema.oneOf
    expect(answer[0].required).toContain('roleArn')
    expect(answer[2].required).toContain('poolId')
    const ids = Object.values(
      doc.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap((ops) => Object.values(ops).map((o) => o.operationId))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('strips fields a response schema does not declare', async () => {
    const org = (await h.call('POST', '/api/v1/organizations', { body: { name: 'leaky' } })).json()
    const platform = h.app.platform
    const original = platform.organizations.get
    platform.organizations.get = async (...args) =>
      ({ ...(await original(...args)), secret: 's3cr3t' }) as never
    try {
      const res = await h.call('GET', `/api/v1/organizations/${org.id}`)
      expect(res.statusCode).toBe(200)
      expect(res.body).not.toContain('s3cr3t')
    } finally {
      platform.organizations.get = original
    }
  })

  it('turns an unexpected failure into 500 internal_error without details', async () => {
    const platform = h.app.platform
    const original = platform.projects.get
    platform.projects.get = () =>
      Promise.reject(new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path'))
    try {
      const res = await h.call('GET', '/api/v1/projects/prj_x')
      expect(res.statusCode).toBe(500)
      expect(res.json()).toEqual({
        error: {
          code: 'internal_error',
          message: expect.stringContaining('server log'),
          details: {},
        },
      })
      expect(res.body).not.toContain('/secret/path')
    } finally {
      platform.projects.get = original
    }
  })
})

describe('web console', () => {
  let h: Harness
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyless-web-'))
    await mkdir(join(dir, 'assets'))
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>keyless</title>')
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)')
    h = await startHarness({ config: { webRoot: dir } })
  })
  afterAll(async () => {
    await h.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('serves files, falls back to index.html for client routes, and keeps API 404s JSON', async () => {
    expect((await h.call('GET', '/', { key: null })).body).toContain('<title>keyless</title>')
    expect((await h.call('GET', '/assets/app.js', { key: null })).body).toBe('console.log(1)')
    const spa = await h.call('GET', '/deployments/dep_123', { key: null })
    expect(spa.statusCode).toBe(200)
    expect(spa.headers['content-type']).toMatch(/text\/html/)
    const api = await h.call('GET', '/api/v1/unknown', { key: null })
    expect(api.statusCode).toBe(404)
    expect(api.json().error.code).toBe('not_found')
  })
})
