/** Secrets never reach the log: API keys, agent tokens, minted tokens, sensitive variable values. */
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/shared/logger.js'
import { seed, startHarness, type Harness } from './harness.js'

const lines: string[] = []
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(chunk.toString())
    done()
  },
})

let h: Harness

beforeAll(async () => {
  h = await startHarness({ logger: createLogger({ level: 'trace' }, sink) })
})
afterAll(async () => {
  await h.close()
})

describe('log redaction', () => {
  it('logs requests without any secret in them', async () => {
    const s = await seed(h)
    const secrets = [h.ownerKey, s.keys.admin, s.keys.deployer, s.keys.viewer, s.keys.agent]
    await h.call('PUT', `/api/v1/projects/${s.project.id}/variables/DB_PASSWORD`, {
      body: { value: 'correct-horse-battery-staple', sensitive: true },
    })
    secrets.push('correct-horse-battery-staple')
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    await h.call('POST', '/agent/v1/claim', { key: s.keys.agent, body: { waitSeconds: 0 } })
    await h.call('POST', `/agent/v1/deployments/${dep.id}/status`, {
      key: s.keys.agent,
      body: { status: 'running' },
    })
    const token = (
      await h.call('POST', `/agent/v1/deployments/${dep.id}/oidc-token`, { key: s.keys.agent })
    ).json().token
    secrets.push(token)
    await h.call('GET', '/api/v1/organizations', { key: 'kl_wrong-key-that-should-not-be-logged' })
    secrets.push('kl_wrong-key-that-should-not-be-logged')
    const platform = h.app.platform
    const original = platform.projects.get
    platform.projects.get = () => Promise.reject(new Error('boom'))
    await h.call('GET', '/api/v1/projects/prj_x')
    platform.projects.get = original
    const log = lines.join('')
    expect(log).toContain('"msg":"request"')
    expect(log).toContain('unexpected error')
    for (const secret of secrets) expect(log).not.toContain(secret)
  })
})
