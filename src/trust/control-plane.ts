/**
 * The few control-plane REST calls `preflight` and `setup` make (`Authorization: Bearer
 * <apiKey>`): the organization's OIDC settings, an environment's oidc-preview, and the project
 * and environment lists for the negative test.
 */
import { KeylessError } from '../shared/errors.js'

export interface OrganizationOidc {
  readonly issuer: string
  readonly jwksUri: string
  readonly audience: string
  readonly subjectTemplate: string
  readonly exampleSubject: string
  readonly conditionKeyPrefix: string
  readonly previousSubjectTemplate?: string | null
  readonly sessionTags: boolean
  readonly mintingStopped: boolean
}

export interface OidcPreview {
  readonly claims: Readonly<Record<string, unknown>>
  readonly roleArn: string | null
  readonly roleSource?: string | null
  readonly durationSeconds: number | null
}

export interface Listed {
  readonly id: string
  readonly name?: string
  readonly organizationId?: string
  readonly projectId?: string
}

export interface ControlPlane {
  organizationOidc(organizationId: string): Promise<OrganizationOidc>
  environmentPreview(environmentId: string): Promise<OidcPreview>
  projects(organizationId: string): Promise<Listed[]>
  environments(projectId: string): Promise<Listed[]>
}

export interface ControlPlaneOptions {
  readonly server: string
  readonly apiKey: string
  readonly timeoutMs?: number
  /** Injected for tests; default the global fetch. */
  readonly fetch?: typeof fetch
}

/** A REST client for the control plane; every failure is one KeylessError line. */
export function controlPlane(options: ControlPlaneOptions): ControlPlane {
  const doFetch = options.fetch ?? fetch
  const base = options.server.replace(/\/+$/u, '')
  async function get<T>(path: string): Promise<T> {
    const url = `${base}${path}`
    let res: Response
    try {
      res = await doFetch(url, {
        headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      })
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause
      const why =
        cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
      throw new KeylessError(
        'input_unreadable',
        `cannot reach the keyless server at ${base}: ${why}`,
      )
    }
    let body: unknown
    try {
      body = await res.json()
    } catch {
      body = undefined
    }
    if (!res.ok) {
      const message =
        typeof body === 'object' &&
        body !== null &&
        typeof (body as { message?: unknown }).message === 'string'
          ? (body as { message: string }).message
          : `HTTP ${res.status}`
      const code =
        res.status === 401
          ? 'unauthorized'
          : res.status === 403
            ? 'forbidden'
            : res.status === 404
              ? 'not_found'
              : 'input_unreadable'
      throw new KeylessError(code, `GET ${path}: ${message}`)
    }
    if (body === undefined)
      throw new KeylessError('input_unreadable', `GET ${path}: the answer is not JSON`)
    return body as T
  }
  async function list(path: string): Promise<Listed[]> {
    const items: Listed[] = []
    let cursor: string | null = null
    for (let page = 0; page < 50; page++) {
      const sep = path.includes('?') ? '&' : '?'
      const out: { items: Listed[]; nextCursor: string | null } = await get(
        cursor === null ? path : `${path}${sep}cursor=${encodeURIComponent(cursor)}`,
      )
      items.push(...out.items)
      cursor = out.nextCursor
      if (cursor === null) break
    }
    return items
  }
  const id = encodeURIComponent
  return {
    organizationOidc: (o) => get(`/api/v1/organizations/${id(o)}/oidc`),
    environmentPreview: (e) => get(`/api/v1/environments/${id(e)}/oidc-preview`),
    projects: (o) => list(`/api/v1/organizations/${id(o)}/projects`),
    environments: (p) => list(`/api/v1/projects/${id(p)}/environments`),
  }
}
