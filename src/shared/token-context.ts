import type { Cloud, DeploymentType, RunPhase } from './contracts/common.js'

/**
 * Everything the identity provider needs to mint one deployment's token. The platform builds it
 * (looking up names, the organization's OIDC settings and the credential); the identity provider
 * turns it into claims (docs/architecture.md §3).
 */
export interface TokenContext {
  readonly organizationId: string
  readonly organizationName: string
  readonly projectId: string
  readonly projectName: string
  readonly templateId: string
  readonly templateName: string
  readonly environmentId: string
  readonly environmentName: string
  readonly deploymentId: string
  readonly deploymentType: DeploymentType
  /** `plan|apply|task` (docs/state.md); absent: the deployment type's default (defaultRunPhase). */
  readonly runPhase?: RunPhase
  readonly deployerEmail: string
  /** Free-form, settable by whoever may set variables: never a trust anchor. */
  readonly userTag?: string
  /** The cloud the token is for (default `aws`); each cloud's token has its own `aud`. */
  readonly cloud?: Cloud
  /** AWS: the organization's audience (default `aws:<organizationId>`); else the credential's. */
  readonly audience: string
  /** The credential's subject template, else the organization's (see subject-template.ts). */
  readonly subjectTemplate: string
  /** Whether the credential enables the `https://aws.amazon.com/tags` claim (AWS only). */
  readonly sessionTags: boolean
}

/** The claims a token also carries as AWS session tags (`https://aws.amazon.com/tags`), in order. */
export const SESSION_TAG_KEYS = [
  'organizationId',
  'projectId',
  'templateId',
  'environmentId',
  'deploymentType',
  'runPhase',
  'deployerEmail',
  'userTag',
] as const

/** The phase a token is for when the runner does not say: `plan`, `task`, else `apply`. */
export function defaultRunPhase(type: DeploymentType): RunPhase {
  return type === 'plan' ? 'plan' : type === 'task' ? 'task' : 'apply'
}
