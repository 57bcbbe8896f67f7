/**
 * What `keyless explain` lets the AWS chain see (src/federation/aws/exchange.ts): the one role it
 * was told about and, when it was read, the account's provider. A lookup it cannot answer is
 * `undefined` ("not known here"), so that step is skipped rather than failed; the signature is
 * never checked offline.
 */
import type { AwsWorld } from '../../../federation/aws/exchange.js'
import {
  accountOfPrincipal,
  providerUrlOf,
  providerUrlOfPrincipal,
} from '../../../federation/aws/provider.js'
import { OFFLINE_SIGNATURE } from '../../../federation/aws/steps/signature.js'
import type { Policy } from '../../../policy/index.js'
import { parseRoleArn, type Partition } from '../../../shared/arn.js'
import { KeylessError } from '../../../shared/errors.js'

/** The account's IAM OIDC provider for the token's issuer, as GetOpenIDConnectProvider has it. */
export interface KnownProvider {
  readonly arn: string
  readonly url: string
  readonly clientIds: readonly string[]
}

export interface ExplainedRole {
  readonly arn: string
  readonly partition: Partition
  readonly accountId: string
  readonly name: string
}

/** An account that stands for "some account" when neither the role nor the policy names one. */
const PLACEHOLDER_ACCOUNT = '123456789012'

/** The account of the policy's `Federated` principal for this issuer, when it names one. */
function accountOfPolicy(policy: Policy, iss: string | undefined): string | undefined {
  if (iss === undefined) return undefined
  const url = providerUrlOf(iss)
  const principal = policy.statements
    .flatMap((s) => (s.principal?.kind === 'map' ? s.principal.entries : []))
    .filter((e) => e.type === 'Federated')
    .flatMap((e) => e.values)
    .find((f) => providerUrlOfPrincipal(f) === url)
  return principal === undefined ? undefined : accountOfPrincipal(principal)
}

/** The role explain decides for: the given ARN, else `ROLE` in the account of the policy's provider. */
export function roleOf(
  roleArn: string | undefined,
  policy: Policy,
  iss: string | undefined,
): ExplainedRole {
  if (roleArn === undefined) {
    const accountId = accountOfPolicy(policy, iss) ?? PLACEHOLDER_ACCOUNT
    return {
      arn: `arn:aws:iam::${accountId}:role/ROLE`,
      partition: 'aws',
      accountId,
      name: 'ROLE',
    }
  }
  const parsed = parseRoleArn(roleArn)
  if (parsed === undefined)
    throw new KeylessError('usage_error', `${JSON.stringify(roleArn)} is not a role ARN`)
  const { partition, accountId, roleName: name } = parsed
  return { arn: roleArn, partition, accountId, name }
}

export function offlineWorld(
  role: ExplainedRole,
  trustPolicy: Policy,
  maxSessionDuration: number,
  provider: KnownProvider | null | undefined,
): AwsWorld {
  return {
    accountId: role.accountId,
    provider(arn) {
      if (provider === undefined) return undefined
      return provider !== null && provider.arn === arn ? { ...provider, thumbprints: [] } : null
    },
    role(arn) {
      if (arn.accountId !== role.accountId || arn.roleName !== role.name) return undefined
      return { arn: role.arn, name: role.name, trustPolicy, maxSessionDuration }
    },
    verifySignature: () => ({ status: 'skipped', detail: OFFLINE_SIGNATURE }),
  }
}
