import { API_BASE } from './client'
import { getApiKey } from '../auth'

export interface SseEvent {
  readonly event: string
  readonly data: string
  readonly id: string | undefined
}

/**
 * Reads a Server-Sent Events stream with fetch() so that the API key travels in the
 * Authorization header (EventSource cannot send one, and the key must never be in a URL).
 * Resolves when the stream ends or is aborted.
 */
export async function streamEvents(
  path: string,
  onEvent: (event: SseEvent) => void,
  signal: AbortSignal,
  onOpen?: () => void,
): Promise<void> {
  const key = getApiKey()
  const headers: Record<string, string> = { accept: 'text/event-stream' }
  if (key !== null) headers['authorization'] = `Bearer ${key}`
  const response = await fetch(`${API_BASE}${path}`, {
    headers,
    signal,
    credentials: 'omit',
    cache: 'no-store',
  })
  if (!response.ok || response.body === null) {
    throw new Error(`the log stream answered ${response.status}`)
  }
  onOpen?.()
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  let event = 'message'
  let data: string[] = []
  let id: string | undefined
  const dispatch = (): void => {
    if (data.length > 0) onEvent({ event, data: data.join('\n'), id })
    event = 'message'
    data = []
    id = undefined
  }
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += value
    let newline: number
    while ((newline = buffer.search(/\r\n|\n|\r/u)) >= 0) {
      const line = buffer.slice(0, newline)
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1))
      if (line === '') {
        dispatch()
        continue
      }
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      let fieldValue = colon < 0 ? '' : line.slice(colon + 1)
      if (fieldValue.startsWith(' ')) fieldValue = fieldValue.slice(1)
      if (field === 'event') event = fieldValue
      else if (field === 'data') data.push(fieldValue)
      else if (field === 'id') id = fieldValue
    }
  }
  dispatch()
}
