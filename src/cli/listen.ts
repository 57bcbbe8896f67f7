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
