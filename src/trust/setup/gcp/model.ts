/**
 * What `keyless setup gcp` works on: the organization's issuer and its gcp-oidc credentials with
 * the environments whose tokens Google must accept; and the plan it computes: a workload identity
 * pool and OIDC provider per credential, and the `roles/iam.workloadIdentityUser` bindings that
 * let the organization's (or each environment's) tokens impersonate the service accounts.
 */
import type { DeploymentType } from '../../../shared/contracts/common.js'
import type { AzureSetupScope } from '../azure/model.js'

/** A gcp-oidc credential as far as setup is concerned. */
export interface GcpSetupCredential {
  readonly credentialId?: string
  readonly name?: string
  readonly projectNumber: string
  readonly gcpProjectId: string
  readonly poolId: string
  readonly providerId: string
  readonly serviceAccountEmail: string | null
  readonly planServiceAccountEmail?: string | null
  /** The `aud` of the credential's GCP tokens. */
  readonly audience: string
  /** The subject template of its tokens (the credential's, else the organization's). */
  readonly subjectTemplate: string
  readonly scopes: readonly AzureSetupScope[]
}

export interface GcpSetupInput {
  readonly organizationId: string
  readonly issuer: string
  readonly credentials: readonly GcpSetupCredential[]
  /** Bind each environment's principal set instead of the organization's. */
  readonly perEnvironment?: boolean
  readonly deploymentTypes?: readonly DeploymentType[]
}

export interface PlannedPool {
  readonly projectNumber: string
  readonly poolId: string
  readonly name: string
}

/** A provider in IAM v1's shape (`oidc`, `attributeMapping`, `attributeCondition`). */
export interface PlannedProvider {
  readonly projectNumber: string
  readonly poolId: string
  readonly providerId: string
  readonly name: string
  readonly issuerUri: string
  readonly allowedAudiences: readonly string[]
  readonly attributeMapping: Readonly<Record<string, string>>
  readonly attributeCondition: string
}

export interface PlannedBinding {
  readonly serviceAccountEmail: string
  readonly role: string
  readonly member: string
  /** `deploy`: the credential's serviceAccountEmail; `plan`: its planServiceAccountEmail. */
  readonly use: 'deploy' | 'plan'
}

/** A credential whose subjects Google cannot keep (over 127 bytes), and a template that fits. */
export interface SubjectTooLong {
  readonly credential: string
  readonly subject: string
  readonly bytes: number
  readonly message: string
  readonly suggestedTemplate: string | null
}

export interface GcpSetupPlan {
  readonly organizationId: string
  readonly issuer: string
  readonly pools: readonly PlannedPool[]
  readonly providers: readonly PlannedProvider[]
  readonly bindings: readonly PlannedBinding[]
  /** Empty when every subject fits in Google's 127 bytes. */
  readonly tooLong: readonly SubjectTooLong[]
}
