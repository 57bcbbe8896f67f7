/**
 * The few control-plane REST calls `preflight` and `setup` make (`Authorization: Bearer
 * <apiKey>`): the organization's OIDC settings, an environment's oidc-preview, and the project
 * and environment lists for the negative test.
 */
import { ControlPlaneClient } from '../client/index.js'
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

/**
 * The control plane through the one typed client (src/client): answers parsed with the contract
 * schemas, the server's own error message and code (404 → exit 4), an unreachable server exit 5.
 */
export function controlPlane(options: ControlPlaneOptions): ControlPlane {
  const client = new ControlPlaneClient({ timeoutMs: 10_000, ...options })
  const id = encodeURIComponent
  return {
    organizationOidc: (o) =>
      at(`/api/v1/organizations/${id(o)}/oidc`, () => client.organizationOidc(o)),
    environmentPreview: (e) =>
      at(`/api/v1/environments/${id(e)}/oidc-preview`, () => client.environmentPreview(e)),
    projects: (o) => at(`/api/v1/organizations/${id(o)}/projects`, () => client.projects(o)),
    environments: (p) => at(`/api/v1/projects/${id(p)}/environments`, () => client.environments(p)),
  }
}

/** The server's answer, prefixed with the call it answered (`GET /api/v1/…: not found`). */
async function at<T>(path: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (!(error instanceof KeylessError) || error.code === 'upstream_unreachable') throw error
    throw new KeylessError(error.code, `GET ${path}: ${error.message}`, error.details)
  }
}
