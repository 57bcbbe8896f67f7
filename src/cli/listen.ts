import type { AddressInfo } from 'node:net'
import { KeylessError } from '../shared/errors.js'

interface Listener {
  listen(options: { port: number; host: string }): Promise<string>
  close(): Promise<unknown>
}

/**
 * Listens, or closes the app and throws the config error a busy or forbidden port is
 * (`config_invalid`, exit 2), naming the flag that chose it.
 */
export async function listenOrConfigError(
  app: Listener,
  host: string,
  port: number,
  flag: string,
): Promise<string> {
  try {
    return await app.listen({ port, host })
  } catch (error) {
    await app.close().catch(() => undefined)
    const why = error instanceof Error ? error.message : String(error)
    throw new KeylessError('config_invalid', `cannot listen on ${host}:${port} (${flag}): ${why}`)
  }
}

/** The URL clients use for a server listening on `host` (0.0.0.0 is reached on loopback). */
export function listeningUrl(
  app: { readonly server: { address(): AddressInfo | string | null } },
  host: string,
  scheme: 'http' | 'https' = 'http',
): string {
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  return `${scheme}://${shown}:${port}`
}
