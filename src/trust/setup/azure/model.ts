/**
 * What `keyless setup azure` works on: the organization's issuer, its azure-oidc credentials and
 * the environments (scopes) whose tokens Entra must accept; and the plan it computes, the
 * federated identity credentials (FICs) each application or managed identity needs.
 */
import type { DeploymentType, RunPhase, TemplateType } from '../../../shared/contracts/common.js'

/** An azure-oidc credential as far as setup is concerned. */
export interface AzureSetupCredential {
  /** The keyless credential's id and name, for messages (absent offline). */
  readonly credentialId?: string
  readonly name?: string
  /** The application (client) id of the app registration or managed identity. */
  readonly clientId: string
  /** The client id the plan phase of a Terraform deploy uses. */
  readonly planClientId?: string | null
  /** The `aud` of the credential's tokens. */
  readonly audience: string
  /** The credential's subject template; null or absent: keyless's Azure default. */
  readonly subjectTemplate?: string | null
  /** The environments whose tokens use this credential. */
  readonly scopes: readonly AzureSetupScope[]
}

/** One environment (or, offline, a project without its environments). */
export interface AzureSetupScope {
  readonly projectId: string
  readonly environmentId?: string
  readonly templateId?: string
  /** The environment's template type: a custom template has no plan phase in a deploy. */
  readonly templateType?: TemplateType
}

export type AzureSetupTarget = 'application' | 'managed-identity'

export interface AzureSetupInput {
  readonly organizationId: string
  /** The issuer, exactly as in `iss`. */
  readonly issuer: string
  readonly credentials: readonly AzureSetupCredential[]
  /** Deployment types to admit; default all. */
  readonly deploymentTypes?: readonly DeploymentType[]
  /** App registrations (Graph) or user-assigned managed identities (ARM). */
  readonly target?: AzureSetupTarget
  /** Managed identities: the ARM resource id of each client id. */
  readonly identities?: Readonly<Record<string, string>>
}

/** A federated identity credential in Graph's shape, and the scopes whose tokens it admits. */
export interface PlannedFic {
  readonly name: string
  readonly issuer: string
  readonly subject: string
  readonly description: string
  readonly audiences: readonly [string]
  readonly admits: readonly AdmittedToken[]
}

/** Which tokens a FIC admits: an environment's deployments of a type in a run phase. */
export interface AdmittedToken {
  readonly projectId: string
  readonly environmentId: string | null
  readonly deploymentType: DeploymentType
  readonly runPhase: RunPhase
}

export interface ManagedIdentityRef {
  readonly resourceId: string
  readonly subscriptionId: string
  readonly resourceGroup: string
  readonly name: string
}

/** The FICs one application (or managed identity) needs. */
export interface ApplicationPlan {
  readonly clientId: string
  /** `deploy`: the credential's clientId; `plan`: its planClientId. */
  readonly role: 'deploy' | 'plan'
  /** The keyless credentials that use this application. */
  readonly credentials: ReadonlyArray<{ readonly id: string | null; readonly name: string | null }>
  readonly subjectTemplates: readonly string[]
  readonly managedIdentity: ManagedIdentityRef | null
  readonly fics: readonly PlannedFic[]
}

/** Why an application needs more FICs than Entra allows, and a subject template that fits. */
export interface OverLimit {
  readonly clientId: string
  readonly needed: number
  readonly message: string
  /** A template under which every application fits, or null when none of keyless's does. */
  readonly suggestedTemplate: string | null
  readonly suggestedCount: number | null
}

export interface AzureSetupPlan {
  readonly organizationId: string
  readonly issuer: string
  readonly target: AzureSetupTarget
  readonly applications: readonly ApplicationPlan[]
  /** Empty when every application fits within Entra's 20. */
  readonly overLimit: readonly OverLimit[]
}
