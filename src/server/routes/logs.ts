import type { ServerResponse } from 'node:http'
import { z } from 'zod'
import { FINISHED_STATUSES } from '../../shared/contracts/common.js'
import { logEntrySchema } from '../../shared/contracts/resources.js'
import { readLines, logQuerySchema } from '../../platform/logs.js'
import type { RouteDeps } from '../deps.js'
import { idParams, route, type AnyRoute } from '../routing.js'

const KEEPALIVE_MS = 15_000
const POLL_MS = 1_000
const BATCH = 1000

function send(res: ServerResponse, event: string, data: unknown, id?: number): void {
  res.write(
    `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
  )
}

/**
 * `GET /api/v1/deployments/{id}/logs`: Server-Sent Events. Replays the stored lines (`event: log`,
 * `id` = sequence number), then streams new ones as they arrive, and ends with `event: end`
 * carrying the final status. `Last-Event-ID` (or `?after=`) resumes after a line. Other replicas'
 * appends are picked up by polling the store every second. `?format=json` answers a plain list.
 */
export function logRoutes({ platform, closing }: RouteDeps): AnyRoute[] {
  const ctx = platform.context
  return [
    route({
      method: 'GET',
      url: '/api/v1/deployments/:id/logs',
      auth: 'api-key',
      tag: 'deployments',
      summary:
        'Deployment log as Server-Sent Events (`log` events, then `end` with the final status); `?format=json` for a plain list.',
      params: idParams,
      query: logQuerySchema,
      responses: {
        200: z.object({ items: z.array(logEntrySchema), nextCursor: z.string().nullable() }),
      },
      raw: true,
      handler: async ({ principal, params, query, request, reply }) => {
        const deployment = await platform.deployments.get(principal, params.id)
        const lastEventId = Number(request.headers['last-event-id'])
        let last =
          Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : (query.after ?? 0)
        if (query.format === 'json') {
          const items = await platform.logs.list(principal, deployment.id, {
            after: last,
            ...(query.limit === undefined ? {} : { limit: query.limit }),
          })
          await reply
            .type('application/json; charset=utf-8')
            .send(JSON.stringify({ items, nextCursor: null }))
          return
        }
        reply.hijack()
        const res = reply.raw
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        })
        res.write('retry: 2000\n\n')
        const stop = new AbortController()
        const onClose = (): void => stop.abort()
        res.on('close', onClose)
        closing.addEventListener('abort', onClose)
        let wake: (() => void) | undefined
        const onChange = (id: string): void => {
          if (id === deployment.id) wake?.()
        }
        ctx.events.on('deployment', onChange)
        // One listener for the whole stream (one per wait would pile up on a long follow).
        const onStop = (): void => wake?.()
        stop.signal.addEventListener('abort', onStop, { once: true })
        let status = deployment.status
        let lastWrite = performance.now()
        try {
          while (!stop.signal.aborted) {
            const lines = await readLines(ctx, deployment.id, last, BATCH)
            for (const line of lines) {
              send(res, 'log', line, line.seq)
              last = line.seq
              lastWrite = performance.now()
            }
            if (lines.length === BATCH) continue
            const current = await platform.deployments.get(principal, deployment.id)
            if (current.status !== status) {
              status = current.status
              send(res, 'status', { status })
            }
            if (FINISHED_STATUSES.has(current.status)) {
              const rest = await readLines(ctx, deployment.id, last, BATCH)
              if (rest.length > 0) continue
              send(res, 'end', {
                status: current.status,
                message: current.message,
                failure: current.failure,
              })
              break
            }
            await new Promise<void>((resolve) => {
              if (stop.signal.aborted) return resolve()
              const timer = setTimeout(resolve, POLL_MS)
              wake = () => {
                clearTimeout(timer)
                resolve()
              }
            })
            wake = undefined
            if (performance.now() - lastWrite > KEEPALIVE_MS) {
              res.write(': keepalive\n\n')
              lastWrite = performance.now()
            }
          }
        } catch (error) {
          request.log.error({ err: error }, 'log stream failed')
          send(res, 'error', {
            code: 'internal_error',
            message: 'the log stream failed; reconnect to resume',
          })
        } finally {
          ctx.events.off('deployment', onChange)
          stop.signal.removeEventListener('abort', onStop)
          closing.removeEventListener('abort', onClose)
          res.off('close', onClose)
          if (!res.writableEnded) res.end()
        }
      },
    }),
  ]
}
