import { z } from 'zod'
import { errorTable } from '../shared/error-codes.js'
import type { AnyRoute } from './routing.js'

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>
  delete out['$schema']
  return out
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', enum: Object.keys(errorTable) },
        message: { type: 'string' },
        details: { type: 'object' },
      },
    },
  },
}

/** The OpenAPI 3.1 document, generated from the routes' own zod schemas. */
export function buildOpenApi(
  routes: readonly AnyRoute[],
  serverUrl: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/gu, '{$1}')
    const parameters: unknown[] = []
    if (r.params !== undefined) {
      const shape = (jsonSchema(r.params, 'input')['properties'] ?? {}) as Record<string, unknown>
      for (const [name, schema] of Object.entries(shape))
        parameters.push({ name, in: 'path', required: true, schema })
    }
    if (r.query !== undefined) {
      const q = jsonSchema(r.query, 'input')
      const required = new Set((q['required'] as string[] | undefined) ?? [])
      for (const [name, schema] of Object.entries(
        (q['properties'] ?? {}) as Record<string, unknown>,
      ))
        parameters.push({ name, in: 'query', required: required.has(name), schema })
    }
    const responses: Record<string, unknown> = {}
    for (const [status, schema] of Object.entries(r.responses)) {
      const description = status === '204' ? 'No content' : 'OK'
      responses[status] =
        schema === null
          ? { description }
          : {
              description,
              content: { 'application/json': { schema: jsonSchema(schema, 'output') } },
            }
    }
    responses['default'] = {
      description: 'Error',
      content: { 'application/json': { schema: errorSchema } },
    }
    const operation: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/gu, '').replace(/[^A-Za-z0-9]+(.)?/gu, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: r.summary,
      tags: [r.tag],
      parameters,
      responses,
      security: r.auth === 'none' ? [] : [{ [r.auth === 'agent' ? 'agentToken' : 'apiKey']: [] }],
    }
    if (r.body !== undefined)
      operation['requestBody'] = {
        required: false,
        content: { 'application/json': { schema: jsonSchema(r.body, 'input') } },
      }
    ;(paths[path] ??= {})[r.method.toLowerCase()] = operation
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'keyless control plane',
      version: '0.1.0',
      description:
        'REST API (`/api/v1`) and agent API (`/agent/v1`). Errors: `{ "error": { "code", "message", "details" } }`.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`kl_…`) or the owner key.',
        },
        agentToken: { type: 'http', scheme: 'bearer', description: 'An agent token (`kla_…`).' },
      },
    },
    paths,
  }
}
