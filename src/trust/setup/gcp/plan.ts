/**
 * `planGcpSetup`: the pools, OIDC providers and service-account bindings Google needs so that it
 * accepts the tokens of an organization's gcp-oidc credentials, and the credentials whose subjects
 * Google cannot keep (over 127 bytes, with a template that fits). Pure.
 */
import { attributePrincipalSet } from '../../../federation/gcp/names.js'
import { KeylessError } from '../../../shared/errors.js'
import type {
  GcpSetupCredential,
  GcpSetupInput,
  GcpSetupPlan,
  PlannedBinding,
  PlannedPool,
  PlannedProvider,
} from './model.js'
import { checkIds, plannedProvider, poolName } from './provider.js'
import { subjectTooLong } from './subjects.js'

export const WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser'

const SERVICE_ACCOUNT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9.-]+\.iam\.gserviceaccount\.com$/u

const label = (c: GcpSetupCredential): string =>
  c.name === undefined ? `the credential of pool ${c.poolId}` : `credential ${c.name}`

function checkIssuer(issuer: string): void {
  if (issuer === '' || issuer.trim() !== issuer || !/^https?:\/\/[^/]/iu.test(issuer))
    throw new KeylessError(
      'usage_error',
      `issuer ${JSON.stringify(issuer)} is not a URL: Google compares it with the token's iss exactly`,
    )
}

/** The principal sets of a credential: the organization's, or one per environment (project). */
function members(c: GcpSetupCredential, input: GcpSetupInput): string[] {
  const set = (attribute: string, value: string) =>
    attributePrincipalSet(c.projectNumber, c.poolId, attribute, value)
  if (input.perEnvironment !== true) return [set('organization', input.organizationId)]
  return [
    ...new Set(
      c.scopes.map((s) =>
        s.environmentId === undefined
          ? set('project', s.projectId)
          : set('environment', s.environmentId),
      ),
    ),
  ]
}

function accounts(c: GcpSetupCredential): Array<[string, PlannedBinding['use']]> {
  const out: Array<[string, PlannedBinding['use']]> = []
  if (c.serviceAccountEmail !== null) out.push([c.serviceAccountEmail, 'deploy'])
  const plan = c.planServiceAccountEmail
  if (plan !== undefined && plan !== null && plan !== c.serviceAccountEmail)
    out.push([plan, 'plan'])
  // None: direct resource access (the federated identity itself gets roles); no binding to plan.
  for (const [email] of out)
    if (!SERVICE_ACCOUNT.test(email))
      throw new KeylessError(
        'usage_error',
        `${label(c)}: ${JSON.stringify(email)} is not a service account email (NAME@PROJECT.iam.gserviceaccount.com)`,
      )
  return out
}

function mergeProvider(all: Map<string, PlannedProvider>, p: PlannedProvider): void {
  const seen = all.get(p.name)
  if (seen === undefined) all.set(p.name, p)
  else if (!seen.allowedAudiences.includes(p.allowedAudiences[0] ?? ''))
    all.set(p.name, {
      ...seen,
      allowedAudiences: [...seen.allowedAudiences, ...p.allowedAudiences],
    })
}

/** Plans an organization's GCP setup (pure); `tooLong` lists what Google would refuse. */
export function planGcpSetup(input: GcpSetupInput): GcpSetupPlan {
  checkIssuer(input.issuer)
  const pools = new Map<string, PlannedPool>()
  const providers = new Map<string, PlannedProvider>()
  const bindings = new Map<string, PlannedBinding>()
  for (const c of input.credentials) {
    checkIds(c, label(c))
    const pool = poolName(c.projectNumber, c.poolId)
    pools.set(pool, { projectNumber: c.projectNumber, poolId: c.poolId, name: pool })
    mergeProvider(providers, plannedProvider(c, input.issuer, input.organizationId))
    for (const [email, use] of accounts(c))
      for (const member of members(c, input))
        bindings.set(`${email}\u0000${member}`, {
          serviceAccountEmail: email,
          role: WORKLOAD_IDENTITY_USER,
          member,
          use,
        })
  }
  const tooLong = input.credentials
    .map((c) => subjectTooLong(c, input.organizationId, input.deploymentTypes))
    .filter((t) => t !== null)
  return {
    organizationId: input.organizationId,
    issuer: input.issuer,
    pools: [...pools.values()],
    providers: [...providers.values()],
    bindings: [...bindings.values()],
    tooLong,
  }
}
