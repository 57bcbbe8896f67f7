/**
 * A service account's IAM policy as far as impersonation goes (docs/gcp.md, "Impersonation"):
 * bindings of roles to members, the roles that carry `iam.serviceAccounts.getAccessToken`, and
 * which binding (if any) lets a federated identity's principals through.
 */
import { principalsOf, type FederatedIdentity } from './names.js'

export interface IamBinding {
  readonly role: string
  readonly members: readonly string[]
}

export interface IamPolicy {
  readonly version: number
  readonly etag: string
  readonly bindings: readonly IamBinding[]
}

/** Roles that grant `iam.serviceAccounts.getAccessToken` on a service account. */
export const TOKEN_ROLES = [
  'roles/iam.workloadIdentityUser',
  'roles/iam.serviceAccountTokenCreator',
  'roles/owner',
  'roles/editor',
] as const

const MEMBER =
  /^(principal:\/\/|principalSet:\/\/|serviceAccount:|user:|group:|domain:|allUsers$|allAuthenticatedUsers$|deleted:|projectOwner:|projectEditor:|projectViewer:)/u

export function validMember(member: string): boolean {
  return MEMBER.test(member)
}

export function validRole(role: string): boolean {
  return /^(roles\/[A-Za-z0-9_.]+|projects\/[^/]+\/roles\/[A-Za-z0-9_.]+|organizations\/[^/]+\/roles\/[A-Za-z0-9_.]+)$/u.test(
    role,
  )
}

export type BindingDecision =
  | {
      readonly allowed: true
      readonly role: string
      readonly member: string
      readonly principals: readonly string[]
    }
  | {
      readonly allowed: false
      readonly principals: readonly string[]
      /** Bindings of a token role whose members are not among the principals. */
      readonly near: readonly IamBinding[]
    }

/** Does one of the identity's principals hold a token role in the policy? */
export function decideBinding(
  policy: IamPolicy | undefined,
  identity: FederatedIdentity,
): BindingDecision {
  const principals = principalsOf(identity)
  const set = new Set(principals)
  const bindings = policy?.bindings ?? []
  for (const b of bindings) {
    if (!(TOKEN_ROLES as readonly string[]).includes(b.role)) continue
    const member = b.members.find((m) => set.has(m))
    if (member !== undefined) return { allowed: true, role: b.role, member, principals }
  }
  return {
    allowed: false,
    principals,
    near: bindings.filter((b) => (TOKEN_ROLES as readonly string[]).includes(b.role)),
  }
}

/** The explanation of a binding decision, one line each. */
export function bindingLines(email: string, decision: BindingDecision): string[] {
  const lines = [`principals of the caller: ${decision.principals.join(', ')}`]
  if (decision.allowed) {
    lines.push(`${decision.role} on ${email} is granted to ${decision.member}`)
    return lines
  }
  if (decision.near.length === 0)
    lines.push(
      `no binding on ${email} grants roles/iam.workloadIdentityUser (or another role with iam.serviceAccounts.getAccessToken)`,
    )
  for (const b of decision.near)
    lines.push(
      `${b.role} on ${email} is granted to ${b.members.join(', ') || '(nobody)'}: none of them is the caller`,
    )
  lines.push(
    `missing binding: roles/iam.workloadIdentityUser for one of the caller's principals on ${email}`,
  )
  return lines
}
