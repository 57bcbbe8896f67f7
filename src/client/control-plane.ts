import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { isKeylessError } from '../shared/errors.js'
import { FINISHED_STATUSES } from '../shared/contracts/common.js'
import type { LogEntry } from '../shared/contracts/log-entry.js'
import {
  agentPresenceSchema,
  agentTokenSchema,
  credentialSchema,
  deploymentSchema,
  environmentSchema,
  newAgentTokenSchema,
  oidcPreviewSchema,
  oidcSettingsSchema,
  organizationSchema,
  pageSchema,
  projectSchema,
  templateSchema,
  type Deployment,
} from '../shared/contracts/resources.js'
import { HttpClient, type HttpOptions } from './http.js'
import { streamDeploymentLogs } from './log-stream.js'

const id = encodeURIComponent
/** Pages read at most by one `list` (200 items each). */
/** `?a=1&b=2` of the values given, '' when none is. */
function queryString(query: Readonly<Record<string, string | undefined>>): string {
  const given = Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)
  return given.length === 0 ? '' : `?${new URLSearchParams(given).toString()}`
}

const MAX_PAGES = 50
/** Tries of a create that may be retried safely (it carries an Idempotency-Key). */
const CREATE_ATTEMPTS = 3

/** A failure worth one more try with the same Idempotency-Key: unreachable, or a 5xx. */
function transient(error: unknown): boolean {
  if (!isKeylessError(error)) return false
  if (error.code === 'upstream_unreachable' || error.code === 'database_unavailable') return true
  const status = (error.details as { httpStatus?: unknown } | undefined)?.httpStatus
  return typeof status === 'number' && status >= 500
}

type Body = Readonly<Record<string, unknown>>

export interface ControlPlaneClientOptions extends Omit<HttpOptions, 'bearer'> {
  readonly apiKey: string
}

/**
 * The REST API (`/api/v1`) with an API key, for `keyless deploy`, `keyless up` and the trust tools:
 * every answer parsed with its schema from src/shared/contracts.
 */
export class ControlPlaneClient {
  readonly http: HttpClient

  constructor(options: ControlPlaneClientOptions) {
    const { apiKey, ...rest } = options
    this.http = new HttpClient({ ...rest, bearer: apiKey })
  }

  get server(): string {
    return this.http.base
  }

  /** Every item of a keyset-paged list. */
  async list<S extends z.ZodType>(path: string, item: S): Promise<Array<z.infer<S>>> {
    const schema = pageSchema(item)
    const items: Array<z.infer<S>> = []
    let cursor: string | null = null
    for (let page = 0; page < MAX_PAGES; page++) {
      const query: string = cursor === null ? '' : `&cursor=${id(cursor)}`
      const answer: { items: Array<z.infer<S>>; nextCursor: string | null } = await this.http.json(
        'GET',
        `${path}?limit=200${query}`,
        schema,
      )
      items.push(...answer.items)
      cursor = answer.nextCursor
      if (cursor === null) break
    }
    return items
  }

  organizations = () => this.list('/api/v1/organizations', organizationSchema)
  createOrganization = (body: Body) =>
    this.http.json('POST', '/api/v1/organizations', organizationSchema, { body })
  organizationOidc = (orgId: string) =>
    this.http.json('GET', `/api/v1/organizations/${id(orgId)}/oidc`, oidcSettingsSchema)

  projects = (orgId: string) =>
    this.list(`/api/v1/organizations/${id(orgId)}/projects`, projectSchema)
  createProject = (orgId: string, body: Body) =>
    this.http.json('POST', `/api/v1/organizations/${id(orgId)}/projects`, projectSchema, { body })

  templates = (orgId: string) =>
    this.list(`/api/v1/organizations/${id(orgId)}/templates`, templateSchema)
  createTemplate = (orgId: string, body: Body) =>
    this.http.json('POST', `/api/v1/organizations/${id(orgId)}/templates`, templateSchema, {
      body,
    })
  updateTemplate = (templateId: string, body: Body) =>
    this.http.json('PATCH', `/api/v1/templates/${id(templateId)}`, templateSchema, { body })

  environments = (projectId: string) =>
    this.list(`/api/v1/projects/${id(projectId)}/environments`, environmentSchema)
  createEnvironment = (projectId: string, body: Body) =>
    this.http.json('POST', `/api/v1/projects/${id(projectId)}/environments`, environmentSchema, {
      body,
    })
  environmentPreview = (
    environmentId: string,
    query: { readonly cloud?: string; readonly type?: string } = {},
  ) =>
    this.http.json(
      'GET',
      `/api/v1/environments/${id(environmentId)}/oidc-preview${queryString(query)}`,
      oidcPreviewSchema,
    )

  credentials = (orgId: string) =>
    this.list(`/api/v1/organizations/${id(orgId)}/credentials`, credentialSchema)
  createCredential = (orgId: string, body: Body) =>
    this.http.json('POST', `/api/v1/organizations/${id(orgId)}/credentials`, credentialSchema, {
      body,
    })
  updateCredential = (credentialId: string, body: Body) =>
    this.http.json('PATCH', `/api/v1/credentials/${id(credentialId)}`, credentialSchema, { body })
  assignCredential = (projectId: string, credentialId: string) =>
    this.http.none('PUT', `/api/v1/projects/${id(projectId)}/credentials/${id(credentialId)}`)

  agentTokens = (orgId: string) =>
    this.list(`/api/v1/organizations/${id(orgId)}/agent-tokens`, agentTokenSchema)
  createAgentToken = (orgId: string, body: Body) =>
    this.http.json('POST', `/api/v1/organizations/${id(orgId)}/agent-tokens`, newAgentTokenSchema, {
      body,
    })

  agentPresence = (orgId: string) =>
    this.http.json('GET', `/api/v1/organizations/${id(orgId)}/agents`, agentPresenceSchema)

  /**
   * Queues a deployment with an `Idempotency-Key`: an answer lost on the way (a replica died) is
   * retried with the same key, and the server answers the first deployment instead of a second.
   */
  async createDeployment(
    environmentId: string,
    body: Body,
    idempotencyKey: string = randomUUID(),
  ): Promise<Deployment> {
    const path = `/api/v1/environments/${id(environmentId)}/deployments`
    const headers = { 'idempotency-key': idempotencyKey }
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.http.json('POST', path, deploymentSchema, { body, headers })
      } catch (error) {
        if (attempt >= CREATE_ATTEMPTS || !transient(error)) throw error
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt))
      }
    }
  }
  deployment = (deploymentId: string) =>
    this.http.json('GET', `/api/v1/deployments/${id(deploymentId)}`, deploymentSchema)

  approveDeployment = (deploymentId: string, body: Body = {}) =>
    this.http.json('POST', `/api/v1/deployments/${id(deploymentId)}/approve`, deploymentSchema, {
      body,
    })
  rejectDeployment = (deploymentId: string, body: Body = {}) =>
    this.http.json('POST', `/api/v1/deployments/${id(deploymentId)}/reject`, deploymentSchema, {
      body,
    })

  /** Polls while the deployment is queued, calling `onWait` each time its reason changes. */
  async waitStarted(
    deploymentId: string,
    onWait: (waiting: NonNullable<Deployment['waitingFor']>) => void,
    pollMs = 1000,
  ): Promise<Deployment> {
    let last = ''
    for (;;) {
      const deployment = await this.deployment(deploymentId)
      if (deployment.status !== 'queued') return deployment
      if (deployment.waitingFor !== null && deployment.waitingFor.message !== last) {
        last = deployment.waitingFor.message
        onWait(deployment.waitingFor)
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs))
    }
  }

  /** Streams a deployment's log until it ends. */
  streamLogs = (deploymentId: string, onLine: (line: LogEntry) => void, signal?: AbortSignal) =>
    streamDeploymentLogs(this.http, deploymentId, onLine, signal)

  /** Polls until the deployment is finished (succeeded, failed or cancelled). */
  async waitFinished(deploymentId: string, pollMs = 500): Promise<Deployment> {
    for (;;) {
      const deployment = await this.deployment(deploymentId)
      if (FINISHED_STATUSES.has(deployment.status)) return deployment
      await new Promise((resolve) => setTimeout(resolve, pollMs))
    }
  }
}
