/** Who may scrape `/metrics`: loopback clients without a metrics token; with one, its bearers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from './harness.js'

const cases = [
  { token: undefined, from: '127.0.0.1', auth: undefined, status: 200 },
  { token: undefined, from: '::1', auth: undefined, status: 200 },
  { token: undefined, from: '10.1.2.3', auth: undefined, status: 403 },
  { token: 'scrape-me', from: '10.1.2.3', auth: 'Bearer scrape-me', status: 200 },
  { token: 'scrape-me', from: '127.0.0.1', auth: undefined, status: 401 },
  { token: 'scrape-me', from: '127.0.0.1', auth: 'Bearer scrape-m3', status: 401 },
] as const

describe.each([undefined, 'scrape-me'] as const)('/metrics with metrics token %s', (token) => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness(token === undefined ? {} : { config: { metricsToken: token } })
  })
  afterAll(async () => {
    await h.close()
  })

  it.each(cases.filter((c) => c.token === token))('from $from with $auth → $status', async (c) => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: c.from,
      headers: c.auth === undefined ? {} : { authorization: c.auth },
    })
    expect(res.statusCode).toBe(c.status)
    if (c.status === 200) expect(res.body).toContain('keyless_queue_depth 0')
    else expect(res.json().error.code).toBe(c.status === 403 ? 'forbidden' : 'unauthorized')
  })
})
