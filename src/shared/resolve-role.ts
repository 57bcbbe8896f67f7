import { isRoleArn } from './arn.js'
import type { DeploymentType, RoleSource } from './contracts/common.js'

export interface RoleResolutionInput {
  /** The assigned credential's role. */
  readonly roleArn: string
  readonly planRoleArn?: string | null | undefined
  readonly deploymentType: DeploymentType
  /** The environment's typed role override, if set. */
  readonly environmentRoleArn?: string | null | undefined
  /** The deployment's effective variables (nearest scope wins), by name. */
  readonly variables: Readonly<Record<string, string>>
}

export type RoleResolution =
  | { readonly ok: true; readonly roleArn: string; readonly source: RoleSource }
  | { readonly ok: false; readonly source: RoleSource; readonly message: string }

/**
 * Picks the role a deployment assumes. Precedence: the environment's typed override, then the
 * variable `KEYLESS_AWS_ROLE_ARN`, then `ENV0_AWS_ROLE_ARN` (for users migrating from env0), then
 * — for `plan` deployments — the credential's `planRoleArn`, else the credential's `roleArn`.
 * Overrides point at another account or role on purpose, so they apply to plans too.
 */
export function resolveRole(input: RoleResolutionInput): RoleResolution {
  const candidates: Array<[RoleSource, string | null | undefined]> = [
    ['environment-override', input.environmentRoleArn],
    ['variable:KEYLESS_AWS_ROLE_ARN', input.variables['KEYLESS_AWS_ROLE_ARN']],
    ['variable:ENV0_AWS_ROLE_ARN', input.variables['ENV0_AWS_ROLE_ARN']],
    ['plan-role', input.deploymentType === 'plan' ? input.planRoleArn : undefined],
    ['credential', input.roleArn],
  ]
  for (const [source, value] of candidates) {
    if (value === undefined || value === null || value === '') continue
    const arn = value.trim()
    if (!isRoleArn(arn)) {
      return {
        ok: false,
        source,
        message: `the role ARN from ${source} is not an IAM role ARN: ${JSON.stringify(arn.slice(0, 200))}`,
      }
    }
    return { ok: true, roleArn: arn, source }
  }
  return { ok: false, source: 'credential', message: 'no role ARN is configured' }
}
