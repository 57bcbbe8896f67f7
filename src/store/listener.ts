import type { Client } from 'pg'

/** What a channel listener tells its owner. */
export interface ChannelHandlers {
  /** A notification on the channel (its payload as sent, unchecked). */
  onPayload(payload: string | undefined): void
  /**
   * Listening (again): notifications sent while no connection listened were missed, so whatever
   * waits for them should look for itself. Also called after the first connection.
   */
  onListening(): void
  /** The connection failed or was cut; the listener tries again after `retryInMs`. */
  onLost(error: Error, retryInMs: number): void
}

export interface ChannelListener {
  /** Stops listening and ends the connection; nothing is called after it resolves. */
  close(): Promise<void>
}

export interface Backoff {
  readonly initialMs: number
  readonly maxMs: number
}

/** From 100 ms, doubling, to 5 s between attempts: a database back after a restart is seen soon. */
export const LISTEN_BACKOFF: Backoff = { initialMs: 100, maxMs: 5000 }

/** The delay before attempt `attempt` (0: the first retry). */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30))
}

/**
 * `LISTEN channel` on one dedicated connection (never a pooled one: a pooled connection is handed
 * to other queries and its LISTEN would end with it), made again with bounded backoff whenever it
 * fails or is cut (`pg_terminate_backend`, a failover, a restart), until `close`.
 */
export function listenChannel(
  connect: () => Client,
  channel: string,
  handlers: ChannelHandlers,
  backoff: Backoff = LISTEN_BACKOFF,
): ChannelListener {
  let closed = false
  let current: Client | undefined
  let timer: NodeJS.Timeout | undefined
  let attempt = 0

  const lost = (client: Client, error: Error): void => {
    if (closed || current !== client) return
    current = undefined
    client.end().catch(() => undefined)
    const delay = backoffDelay(backoff, attempt)
    attempt += 1
    handlers.onLost(error, delay)
    timer = setTimeout(start, delay)
  }

  function start(): void {
    timer = undefined
    if (closed) return
    const client = connect()
    current = client
    client.on('error', (error) => lost(client, error))
    client.on('end', () => lost(client, new Error('the listening connection ended')))
    client.on('notification', (message) => {
      if (!closed && current === client && message.channel === channel)
        handlers.onPayload(message.payload)
    })
    client
      .connect()
      .then(() => client.query(`LISTEN ${client.escapeIdentifier(channel)}`))
      .then(() => {
        if (closed || current !== client) return
        attempt = 0
        handlers.onListening()
      })
      .catch((error: unknown) =>
        lost(client, error instanceof Error ? error : new Error(String(error))),
      )
  }

  start()
  return {
    async close() {
      closed = true
      clearTimeout(timer)
      const client = current
      current = undefined
      await client?.end().catch(() => undefined)
    },
  }
}
