/**
 * `keyless explain --cloud aws`: the token against a trust policy file, or against a live role
 * read through IAM (GetRole, and GetOpenIDConnectProvider for the audience check).
 */
import { providerUrlOf } from '../../../federation/aws/provider.js'
import { KeylessError } from '../../../shared/errors.js'
import { readProvider, readRole } from '../../aws.js'
import { intOption, readPathOrStdin, readValue, type CommandIo } from '../../io.js'
import { decodeToken } from '../../token/decode.js'
import type { CloudExplainer, ExplainOptions } from '../cloud.js'
import { explainWebIdentity } from './explain.js'
import type { ExplainInput } from './types.js'

type RoleInput = Pick<ExplainInput, 'trustPolicy' | 'roleArn' | 'maxSessionDuration' | 'provider'>

/** The role as IAM has it, and the account's provider for the token's issuer (null: none). */
async function liveRole(options: ExplainOptions, token: string, now: Date): Promise<RoleInput> {
  const aws = options.endpointUrl === undefined ? {} : { endpointUrl: options.endpointUrl }
  const role = await readRole(options.roleArn ?? '', aws)
  const iss = decodeToken(token, now).claims['iss']
  const provider =
    typeof iss === 'string'
      ? ((await readProvider(role.accountId, providerUrlOf(iss), aws)) ?? null)
      : undefined
  return {
    trustPolicy: role.trustPolicy,
    roleArn: role.arn,
    maxSessionDuration: role.maxSessionDuration,
    ...(provider === undefined ? {} : { provider }),
  }
}

async function roleInput(
  options: ExplainOptions,
  io: CommandIo,
  token: string,
  now: Date,
): Promise<RoleInput> {
  if (options.trustPolicy === undefined) return liveRole(options, token, now)
  return {
    trustPolicy: (await readPathOrStdin(options.trustPolicy, io)).text,
    ...(options.roleArn === undefined ? {} : { roleArn: options.roleArn }),
  }
}

export const awsExplainer: CloudExplainer = {
  cloud: 'aws',
  async explain(options, io) {
    if (options.trustPolicy === undefined && options.roleArn === undefined)
      throw new KeylessError(
        'usage_error',
        'give --trust-policy FILE, or --role-arn ARN (with --endpoint-url for the emulator)',
      )
    const token = await readValue(options.token, io)
    const now = io.clock.now()
    decodeToken(token, now)
    const duration = intOption(options.duration, '--duration', 900, 43200)
    const max = intOption(options.maxSessionDuration, '--max-session-duration', 3600, 43200)
    const role = await roleInput(options, io, token, now)
    return explainWebIdentity({
      token,
      ...role,
      ...(duration === undefined ? {} : { duration }),
      ...(max === undefined ? {} : { maxSessionDuration: max }),
      ...(options.roleSessionName === undefined
        ? {}
        : { roleSessionName: options.roleSessionName }),
      now,
    })
  },
}
