/**
 * The applications of an Azure setup and the federated identity credentials (FICs) each needs:
 * one per distinct subject per application (a credential's planClientId is an application of its
 * own, for the plan phase), the issuer exactly keyless's, the audience the credential's. Pure.
 */
import type { DeploymentType } from '../../../shared/contracts/common.js'
import { KeylessError } from '../../../shared/errors.js'
import { describeAdmits } from './describe.js'
import { managedIdentityRef } from './identity.js'
import type {
  AdmittedToken,
  ApplicationPlan,
  AzureSetupCredential,
  AzureSetupInput,
} from './model.js'
import { ficNames } from './names.js'
import { scopedSubjects, templateOf } from './subjects.js'

interface Draft {
  readonly clientId: string
  readonly role: 'deploy' | 'plan'
  readonly credentials: AzureSetupCredential[]
  readonly fics: Map<string, { audience: string; admits: AdmittedToken[] }>
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u

function clientIdOf(value: string, what: string): string {
  const id = value.trim().toLowerCase()
  if (!GUID.test(id))
    throw new KeylessError('usage_error', `${what} ${JSON.stringify(value)} is not a GUID`)
  return id
}

function draftOf(drafts: Map<string, Draft>, clientId: string, role: Draft['role']): Draft {
  const existing = drafts.get(clientId)
  if (existing !== undefined) return existing
  const draft: Draft = { clientId, role, credentials: [], fics: new Map() }
  drafts.set(clientId, draft)
  return draft
}

const label = (c: AzureSetupCredential): string =>
  c.name === undefined ? `the credential of client ${c.clientId}` : `credential ${c.name}`

/** Adds a credential's subjects to the drafts of its application(s). */
function addCredential(
  drafts: Map<string, Draft>,
  c: AzureSetupCredential,
  organizationId: string,
  types: readonly DeploymentType[] | undefined,
): void {
  const clientId = clientIdOf(c.clientId, 'client id')
  const planClientId =
    c.planClientId === undefined || c.planClientId === null
      ? undefined
      : clientIdOf(c.planClientId, 'plan client id')
  const main = draftOf(drafts, clientId, 'deploy')
  if (!main.credentials.includes(c)) main.credentials.push(c)
  for (const { subject, token } of scopedSubjects(c, organizationId, types)) {
    const usePlan = planClientId !== undefined && token.runPhase === 'plan'
    const draft = usePlan ? draftOf(drafts, planClientId, 'plan') : main
    if (!draft.credentials.includes(c)) draft.credentials.push(c)
    const fic = draft.fics.get(subject)
    if (fic === undefined) draft.fics.set(subject, { audience: c.audience, admits: [token] })
    else if (fic.audience !== c.audience)
      throw new KeylessError(
        'usage_error',
        `application ${draft.clientId}: ${label(c)} needs subject ${subject} with audience ${c.audience}, another credential the same subject with audience ${fic.audience}; Entra keeps one federated credential per issuer and subject, so one of them can never sign in. Give the credentials the same audience, or different applications.`,
      )
    else fic.admits.push(token)
  }
}

function applicationOf(draft: Draft, input: AzureSetupInput): ApplicationPlan {
  const subjects = [...draft.fics.keys()]
  const names = ficNames(subjects, input.organizationId)
  const identity = input.identities?.[draft.clientId]
  return {
    clientId: draft.clientId,
    role: draft.role,
    credentials: draft.credentials.map((c) => ({
      id: c.credentialId ?? null,
      name: c.name ?? null,
    })),
    subjectTemplates: [...new Set(draft.credentials.map(templateOf))],
    managedIdentity:
      input.target === 'managed-identity' && identity !== undefined
        ? managedIdentityRef(identity)
        : null,
    fics: subjects.map((subject, i) => {
      const fic = draft.fics.get(subject) ?? { audience: '', admits: [] }
      return {
        name: names[i] ?? '',
        issuer: input.issuer,
        subject,
        description: describeAdmits(fic.admits),
        audiences: [fic.audience] as const,
        admits: fic.admits,
      }
    }),
  }
}

function checkIssuer(issuer: string): void {
  if (issuer === '' || issuer.trim() !== issuer || !/^https?:\/\/[^/]/iu.test(issuer))
    throw new KeylessError(
      'usage_error',
      `issuer ${JSON.stringify(issuer)} is not a URL: Entra compares it with the token's iss exactly`,
    )
}

/** The applications' drafts, without the limit check. */
export function draftApplications(input: AzureSetupInput): ApplicationPlan[] {
  checkIssuer(input.issuer)
  const drafts = new Map<string, Draft>()
  for (const c of input.credentials)
    addCredential(drafts, c, input.organizationId, input.deploymentTypes)
  return [...drafts.values()].map((d) => applicationOf(d, input))
}
