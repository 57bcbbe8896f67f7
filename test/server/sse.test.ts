/** Deployment logs as Server-Sent Events: replay, live lines, the end event, Last-Event-ID resume, JSON. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed, startHarness, type Harness } from './harness.js'

interface SseEvent {
  id?: string
  event: string
  data: unknown
}

function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = []
  for (const block of text.split('\n\n')) {
    const e: Partial<SseEvent> & { lines: string[] } = { lines: [] }
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) e.id = line.slice(4)
      else if (line.startsWith('event: ')) e.event = line.slice(7)
      else if (line.startsWith('data: ')) e.lines.push(line.slice(6))
    }
    if (e.event !== undefined)
      events.push({
        ...(e.id === undefined ? {} : { id: e.id }),
        event: e.event,
        data: JSON.parse(e.lines.join('\n')),
      })
  }
  return events
}

describe('deployment logs', () => {
  let h: Harness
  let s: Awaited<ReturnType<typeof seed>>
  beforeAll(async () => {
    h = await startHarness()
    s = await seed(h)
  })
  afterAll(async () => {
    await h.close()
  })

  async function running(): Promise<string> {
    const dep = (
      await h.call('POST', `/api/v1/environments/${s.environment.id}/deployments`)
    ).json()
    await h.call('POST', '/agent/v1/claim', { key: s.keys.agent, body: { waitSeconds: 0 } })
    await h.call('POST', `/agent/v1/deployments/${dep.id}/status`, {
      key: s.keys.agent,
      body: { status: 'running' },
    })
    return dep.id
  }
  const append = (id: string, ...texts: string[]) =>
    h.call('POST', `/agent/v1/deployments/${id}/logs`, {
      key: s.keys.agent,
      body: { lines: texts.map((text) => ({ stream: 'stdout', text })) },
    })
  const finish = (id: string, status = 'succeeded') =>
    h.call('POST', `/agent/v1/deployments/${id}/status`, { key: s.keys.agent, body: { status } })

  it('replays stored lines and ends with the final status', async () => {
    const id = await running()
    await append(id, 'one', 'two')
    await finish(id)
    const res = await h.call('GET', `/api/v1/deployments/${id}/logs`, { key: s.keys.viewer })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
    const events = parseSse(res.body)
    expect(events.map((e) => [e.event, e.id])).toEqual([
      ['log', '1'],
      ['log', '2'],
      ['end', undefined],
    ])
    expect(events[0]?.data).toMatchObject({ seq: 1, stream: 'stdout', text: 'one' })
    expect(events[2]?.data).toMatchObject({ status: 'succeeded' })
  })

  it('streams lines that arrive while the client listens', async () => {
    const id = await running()
    await append(id, 'before')
    const pending = h.call('GET', `/api/v1/deployments/${id}/logs`)
    await new Promise((r) => setTimeout(r, 100))
    await append(id, 'live-1')
    await new Promise((r) => setTimeout(r, 50))
    await append(id, 'live-2')
    await finish(id, 'failed')
    const events = parseSse((await pending).body)
    expect(
      events.filter((e) => e.event === 'log').map((e) => (e.data as { text: string }).text),
    ).toEqual(['before', 'live-1', 'live-2'])
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'failed' } })
  })

  it('a follower woken many times keeps one abort listener (no MaxListenersExceededWarning)', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error): void => {
      warnings.push(w.name)
    }
    process.on('warning', onWarning)
    try {
      const id = await running()
      const pending = h.call('GET', `/api/v1/deployments/${id}/logs`)
      await new Promise((r) => setTimeout(r, 50))
      for (let i = 0; i < 15; i += 1) {
        await append(id, `line-${i}`)
        await new Promise((r) => setTimeout(r, 20))
      }
      await finish(id)
      const logs = parseSse((await pending).body).filter((e) => e.event === 'log')
      expect(logs).toHaveLength(15)
      await new Promise((r) => setImmediate(r))
      expect(warnings).not.toContain('MaxListenersExceededWarning')
    } finally {
      process.off('warning', onWarning)
    }
  })

  it('resumes after Last-Event-ID', async () => {
    const id = await running()
    await append(id, 'a', 'b', 'c')
    await finish(id)
    const res = await h.call('GET', `/api/v1/deployments/${id}/logs`, {
      headers: { 'last-event-id': '2' },
    })
    const logs = parseSse(res.body).filter((e) => e.event === 'log')
    expect(logs.map((e) => e.id)).toEqual(['3'])
  })

  it('answers a plain list with ?format=json', async () => {
    const id = await running()
    await append(id, 'x', 'y')
    const res = await h.call('GET', `/api/v1/deployments/${id}/logs?format=json`)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.json()).toEqual({
      items: [
        { seq: 1, stream: 'stdout', text: 'x', time: '2026-11-25T12:00:00.000Z' },
        { seq: 2, stream: 'stdout', text: 'y', time: '2026-11-25T12:00:00.000Z' },
      ],
      nextCursor: null,
    })
    expect(
      (await h.call('GET', `/api/v1/deployments/${id}/logs?format=json&after=1`)).json().items,
    ).toHaveLength(1)
    await finish(id)
  })

  it('keeps log lines with NUL characters (replaced by U+FFFD)', async () => {
    const id = await running()
    expect((await append(id, 'a\u0000b')).statusCode).toBe(204)
    const items = (await h.call('GET', `/api/v1/deployments/${id}/logs?format=json`)).json().items
    expect(items[0].text).toBe('a\uFFFDb')
    await finish(id)
  })

  it('refuses log appends from an agent that does not hold the deployment', async () => {
    const other = (
      await h.call('POST', `/api/v1/organizations/${s.org.id}/agent-tokens`, {
        body: { name: 'other' },
      })
    ).json().token
    const id = await running()
    const res = await h.call('POST', `/agent/v1/deployments/${id}/logs`, {
      key: other,
      body: { lines: [{ stream: 'stdout', text: 'x' }] },
    })
    expect(res.statusCode).toBe(409)
    await finish(id)
  })
})
