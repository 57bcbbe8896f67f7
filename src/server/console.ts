/**
 * The web console (web/, built into `dist/web`) with SPA fallback, when it was built; every other
 * unknown path gets the JSON `not_found` body.
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { KeylessError } from '../shared/errors.js'
import { errorBody } from './errors.js'

const here = dirname(fileURLToPath(import.meta.url))
/** `<package>/dist/web`, from both `src/server` and `dist/server`. */
export const DEFAULT_WEB_ROOT = resolve(here, '..', '..', 'dist', 'web')

const NOT_CONSOLE = /^\/(api|agent|\.well-known)(\/|$)/u

/** `webRoot` undefined: the package's build; null: no console. */
export async function registerConsole(
  app: FastifyInstance,
  webRoot: string | null | undefined,
): Promise<void> {
  const root = webRoot === undefined ? DEFAULT_WEB_ROOT : webRoot
  const hasWeb = root !== null && existsSync(join(root, 'index.html'))
  if (hasWeb)
    await app.register((await import('@fastify/static')).default, {
      root,
      wildcard: false,
      index: 'index.html',
    })
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    if (
      hasWeb &&
      !NOT_CONSOLE.test(path) &&
      (request.method === 'GET' || request.method === 'HEAD')
    )
      return reply.sendFile('index.html')
    return reply
      .status(404)
      .type('application/json; charset=utf-8')
      .send(errorBody(new KeylessError('not_found', `no route ${request.method} ${path}`)))
  })
}
