/**
 * Google resource names and principal identifiers (docs/gcp.md, "Names"): pools and providers
 * under a project number, the audiences STS and a token's `aud` may carry, the principals IAM
 * policies name, service-account emails under a project id.
 */

export const IAM_HOST = 'iam.googleapis.com'

/** Pool and provider ids: 4–32 of `[a-z0-9-]`, not starting with `gcp-` (Google reserves it). */
const ID = /^[a-z0-9-]{4,32}$/u

export function validWorkloadId(id: string): boolean {
  return ID.test(id) && !id.startsWith('gcp-') && !id.startsWith('-') && !id.endsWith('-')
}

export interface ProviderRef {
  readonly projectNumber: string
  readonly poolId: string
  readonly providerId: string
}

export function poolName(projectNumber: string, poolId: string): string {
  return `projects/${projectNumber}/locations/global/workloadIdentityPools/${poolId}`
}

export function providerName(ref: ProviderRef): string {
  return `${poolName(ref.projectNumber, ref.poolId)}/providers/${ref.providerId}`
}

/** The two `aud` values a token may carry when the provider has no allowed audiences. */
export function defaultAudiences(ref: ProviderRef): readonly [string, string] {
  const name = providerName(ref)
  return [`//${IAM_HOST}/${name}`, `https://${IAM_HOST}/${name}`]
}

export type AudienceParse =
  | { readonly kind: 'provider'; readonly ref: ProviderRef }
  | { readonly kind: 'pool'; readonly projectNumber: string; readonly poolId: string }
  /** A well-formed name whose project is not a number (a project id). */
  | { readonly kind: 'project-id'; readonly project: string }
  | { readonly kind: 'invalid' }

const AUDIENCE =
  /^\/\/iam\.googleapis\.com\/projects\/([^/]+)\/locations\/global\/workloadIdentityPools\/([^/]+)(?:\/providers\/([^/]+))?$/u

/** The STS `audience` parameter: `//iam.googleapis.com/projects/<number>/…/providers/<id>`. */
export function parseStsAudience(audience: string): AudienceParse {
  const m = AUDIENCE.exec(audience)
  if (m === null) return { kind: 'invalid' }
  const [, project = '', poolId = '', providerId] = m
  if (!/^\d+$/u.test(project)) return { kind: 'project-id', project }
  if (providerId === undefined) return { kind: 'pool', projectNumber: project, poolId }
  return { kind: 'provider', ref: { projectNumber: project, poolId, providerId } }
}

const POOL_PREFIX = (projectNumber: string, poolId: string): string =>
  `principal://${IAM_HOST}/${poolName(projectNumber, poolId)}`

/** `principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/subject/S`. */
export function subjectPrincipal(projectNumber: string, poolId: string, subject: string): string {
  return `${POOL_PREFIX(projectNumber, poolId)}/subject/${subject}`
}

const SET_PREFIX = (projectNumber: string, poolId: string): string =>
  `principalSet://${IAM_HOST}/${poolName(projectNumber, poolId)}`

export function groupPrincipalSet(projectNumber: string, poolId: string, group: string): string {
  return `${SET_PREFIX(projectNumber, poolId)}/group/${group}`
}

export function attributePrincipalSet(
  projectNumber: string,
  poolId: string,
  attribute: string,
  value: string,
): string {
  return `${SET_PREFIX(projectNumber, poolId)}/attribute.${attribute}/${value}`
}

export function poolPrincipalSet(projectNumber: string, poolId: string): string {
  return `${SET_PREFIX(projectNumber, poolId)}/*`
}

/** What a federated identity is: its pool, its google.subject, groups and custom attributes. */
export interface FederatedIdentity {
  readonly projectNumber: string
  readonly poolId: string
  readonly subject: string
  readonly groups: readonly string[]
  /** `attribute.<k>` values by `<k>` (a list attribute contributes each element). */
  readonly attributes: Readonly<Record<string, string | readonly string[]>>
}

/** Every principal identifier the identity is, in the order docs/gcp.md lists them. */
export function principalsOf(id: FederatedIdentity): string[] {
  const { projectNumber: n, poolId: p } = id
  const out = [subjectPrincipal(n, p, id.subject)]
  for (const g of id.groups) out.push(groupPrincipalSet(n, p, g))
  for (const [k, v] of Object.entries(id.attributes))
    for (const value of typeof v === 'string' ? [v] : v)
      out.push(attributePrincipalSet(n, p, k, value))
  out.push(poolPrincipalSet(n, p))
  return out
}

/** `deploy@proj.iam.gserviceaccount.com`: account id 6–30 chars, the project id after `@`. */
const SA_EMAIL =
  /^([a-z](?:[-a-z0-9]{4,28}[a-z0-9]))@([a-z][-a-z0-9.:]{3,61}[a-z0-9])\.iam\.gserviceaccount\.com$/u

export function parseServiceAccountEmail(
  email: string,
): { readonly accountId: string; readonly projectId: string } | undefined {
  const m = SA_EMAIL.exec(email)
  if (m === null) return undefined
  return { accountId: m[1] ?? '', projectId: m[2] ?? '' }
}

export function validAccountId(id: string): boolean {
  return /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/u.test(id)
}

export function serviceAccountEmail(accountId: string, projectId: string): string {
  return `${accountId}@${projectId}.iam.gserviceaccount.com`
}
