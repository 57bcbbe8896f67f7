import { logEntrySchema, type LogEntry } from '../shared/contracts/log-entry.js'
import { errorFromResponse, type HttpClient } from './http.js'

/** One Server-Sent Event. */
interface SseEvent {
  readonly event: string
  readonly data: string
}

/** Splits a text/event-stream body into events (`event:` + `data:` lines, a blank line ends one). */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder()
  const reader = body.getReader()
  let buffer = ''
  let event = 'message'
  let data: string[] = []
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      buffer += decoder.decode(value, { stream: true })
      let newline = buffer.indexOf('\n')
      while (newline >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/u, '')
        buffer = buffer.slice(newline + 1)
        newline = buffer.indexOf('\n')
        if (line === '') {
          if (data.length > 0 || event !== 'message') yield { event, data: data.join('\n') }
          event = 'message'
          data = []
        } else if (line.startsWith('event:')) event = line.slice(6).trim()
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /u, ''))
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

function parseEntry(data: string): LogEntry | undefined {
  try {
    const parsed = logEntrySchema.safeParse(JSON.parse(data))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * Reads `GET /api/v1/deployments/{id}/logs` (Server-Sent Events) until its `end` event, calling
 * `onLine` for each line.
 */
export async function streamDeploymentLogs(
  http: HttpClient,
  deploymentId: string,
  onLine: (line: LogEntry) => void,
  signal?: AbortSignal,
): Promise<void> {
  const res = await http.send(
    'GET',
    `/api/v1/deployments/${encodeURIComponent(deploymentId)}/logs`,
    { accept: 'text/event-stream', ...(signal === undefined ? {} : { signal }) },
  )
  if (!res.ok || res.body === null) throw await errorFromResponse(res)
  for await (const { event, data } of events(res.body)) {
    if (event === 'end') return
    if (event !== 'log' && event !== 'message') continue
    const line = parseEntry(data)
    if (line !== undefined) onLine(line)
  }
}
