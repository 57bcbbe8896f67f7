/** Reading a deployment's log as Server-Sent Events, and waiting for a condition. */

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
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
