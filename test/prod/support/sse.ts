/** Reading a deployment's log as Server-Sent Events (whole, or as it comes), and waiting for a condition. */

export interface SseEvent {
  readonly id?: string
  readonly event: string
  readonly data: unknown
}

/** GETs an event stream to its end (a finished deployment's log ends with `end`). */
export async function readSse(url: string, key: string): Promise<SseEvent[]> {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
  })
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}: ${await res.text()}`)
  return parseSse(await res.text())
}

/**
 * Reads an event stream as it arrives, from `lastEventId` on (`Last-Event-ID`), until the stream
 * ends or `enough(events)` says so: then it disconnects, as a client that goes away does.
 */
export async function streamSse(
  url: string,
  key: string,
  options: { lastEventId?: string; enough?: (events: readonly SseEvent[]) => boolean } = {},
): Promise<SseEvent[]> {
  const abort = new AbortController()
  const res = await fetch(url, {
    headers: {
      authorization: `Bearer ${key}`,
      accept: 'text/event-stream',
      ...(options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId }),
    },
    signal: abort.signal,
  })
  if (!res.ok || res.body === null) throw new Error(`GET ${url} → ${res.status}`)
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  const events: SseEvent[] = []
  let buffered = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return events
    buffered += decoder.decode(value, { stream: true })
    const end = buffered.lastIndexOf('\n\n')
    if (end < 0) continue
    events.push(...parseSse(buffered.slice(0, end)))
    buffered = buffered.slice(end + 2)
    if (options.enough?.(events) === true) {
      abort.abort()
      return events
    }
  }
}

export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = []
  for (const block of text.split('\n\n')) {
    let id: string | undefined
    let event: string | undefined
    const data: string[] = []
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4)
      else if (line.startsWith('event: ')) event = line.slice(7)
      else if (line.startsWith('data: ')) data.push(line.slice(6))
    }
    if (event !== undefined)
      events.push({ ...(id === undefined ? {} : { id }), event, data: JSON.parse(data.join('\n')) })
  }
  return events
}

/** Polls `probe` until it gives a value (errors count as "not yet"). */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = performance.now() + ms
  for (;;) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
