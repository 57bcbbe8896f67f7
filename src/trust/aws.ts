/**
 * The IAM calls the trust tools make, through `@aws-sdk/client-iam` with the standard credential
 * chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, …): GetRole for lint, explain and
 * preflight; GetOpenIDConnectProvider for the audience check; the creates for `setup --apply`.
 * Every failure becomes one KeylessError line.
 */
import type { IAMClient } from '@aws-sdk/client-iam'
import { parseRoleArn } from '../shared/arn.js'
import { KeylessError } from '../shared/errors.js'
import { lazyModule } from '../shared/lazy-module.js'
import { providerArnOf } from './provider.js'
import { trustPolicyText, type PhaseRole, type SetupPlan } from './setup/trust-policy.js'

export interface AwsOptions {
  /** IAM/STS endpoint, e.g. the keyless emulator `http://127.0.0.1:4566`; default real AWS. */
  readonly endpointUrl?: string
  readonly region?: string
  /** Explicit credentials (tests); default the SDK's credential chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string }
}

export interface LiveRole {
  readonly arn: string
  readonly roleName: string
  readonly accountId: string
  /** The trust policy text, URL-decoded. */
  readonly trustPolicy: string
  readonly maxSessionDuration: number
}

export interface LiveProvider {
  readonly arn: string
  readonly url: string
  readonly clientIds: readonly string[]
}

/** The SDK clients, loaded on the first IAM or STS call (the control plane seldom makes one). */
const iamSdk = lazyModule(() => import('@aws-sdk/client-iam'))
const stsSdk = lazyModule(() => import('@aws-sdk/client-sts'))

function clientConfig(options: AwsOptions): Record<string, unknown> {
  return {
    region: options.region ?? 'us-east-1',
    maxAttempts: 1,
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  }
}

/** Turns an SDK or network failure into one clear line. */
export function awsError(error: unknown, what: string, options: AwsOptions): KeylessError {
  const e = error as { name?: string; message?: string; code?: string; $metadata?: unknown }
  const where = options.endpointUrl ?? 'AWS'
  const name = e.name ?? ''
  const message = e.message ?? String(error)
  if (name === 'NoSuchEntityException' || name === 'NoSuchEntity')
    return new KeylessError('not_found', `${what}: ${message}`)
  if (name === 'CredentialsProviderError' || /credential/iu.test(name))
    return new KeylessError(
      'usage_error',
      `${what}: no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the keyless emulator's are test/test) or AWS_PROFILE`,
    )
  if (
    e.$metadata === undefined ||
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up/u.test(
      message + (e.code ?? ''),
    )
  )
    return new KeylessError(
      'input_unreadable',
      `${what}: cannot reach ${where}: ${message}${options.endpointUrl === undefined ? ' (the keyless emulator: --endpoint-url http://127.0.0.1:4566)' : ''}`,
    )
  return new KeylessError('input_unreadable', `${what}: ${where} answered ${name}: ${message}`)
}

/** GetRole by ARN (or name): the trust policy and MaxSessionDuration as IAM has them. */
export async function readRole(roleArn: string, options: AwsOptions): Promise<LiveRole> {
  const parsed = parseRoleArn(roleArn)
  if (parsed === undefined)
    throw new KeylessError(
      'usage_error',
      `${JSON.stringify(roleArn)} is not a role ARN (arn:aws:iam::<account>:role/<name>)`,
    )
  const { IAMClient, GetRoleCommand } = await iamSdk()
  const iam = new IAMClient(clientConfig(options))
  try {
    const out = await iam.send(new GetRoleCommand({ RoleName: parsed.roleName }))
    const role = out.Role
    if (role?.AssumeRolePolicyDocument === undefined)
      throw new KeylessError(
        'input_unreadable',
        `GetRole ${parsed.roleName}: no trust policy in the answer`,
      )
    return {
      arn: role.Arn ?? roleArn,
      roleName: role.RoleName ?? parsed.roleName,
      accountId: parseRoleArn(role.Arn ?? roleArn)?.accountId ?? parsed.accountId,
      trustPolicy: decodeURIComponent(role.AssumeRolePolicyDocument),
      maxSessionDuration: role.MaxSessionDuration ?? 3600,
    }
  } catch (error) {
    if (error instanceof KeylessError) throw error
    throw awsError(error, `GetRole ${parsed.roleName}`, options)
  } finally {
    iam.destroy()
  }
}

/** GetOpenIDConnectProvider; undefined when the account has no such provider. */
export async function readProvider(
  accountId: string,
  providerUrl: string,
  options: AwsOptions,
): Promise<LiveProvider | undefined> {
  const arn = providerArnOf(accountId, providerUrl)
  const { IAMClient, GetOpenIDConnectProviderCommand } = await iamSdk()
  const iam = new IAMClient(clientConfig(options))
  try {
    const out = await iam.send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }),
    )
    return { arn, url: out.Url ?? providerUrl, clientIds: out.ClientIDList ?? [] }
  } catch (error) {
    const k = awsError(error, `GetOpenIDConnectProvider ${arn}`, options)
    if (k.code === 'not_found') return undefined
    throw k
  } finally {
    iam.destroy()
  }
}

/** The account of the admin credentials (GetCallerIdentity). */
export async function callerAccount(options: AwsOptions): Promise<string> {
  const { STSClient, GetCallerIdentityCommand } = await stsSdk()
  const sts = new STSClient(clientConfig(options))
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}))
    if (out.Account === undefined)
      throw new KeylessError('input_unreadable', 'GetCallerIdentity: no Account in the answer')
    return out.Account
  } catch (error) {
    if (error instanceof KeylessError) throw error
    throw awsError(error, 'GetCallerIdentity', options)
  } finally {
    sts.destroy()
  }
}

export interface ApplyResult {
  readonly providerArn: string
  readonly roleArn: string
  /** With `--split-phases`: the read-only plan role. */
  readonly planRoleArn?: string
  /** What was done, one line each. */
  readonly actions: readonly string[]
}

const isName = (error: unknown, name: string): boolean =>
  (error as { name?: string }).name === name ||
  (error as { name?: string }).name === `${name}Exception`

/** Creates the role, or updates its trust policy and MaxSessionDuration; returns its ARN. */
async function ensureRole(
  iam: IAMClient,
  plan: SetupPlan,
  role: Pick<PhaseRole, 'roleName' | 'trustPolicy'>,
  accountId: string,
  actions: string[],
): Promise<string> {
  const { CreateRoleCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand } = await iamSdk()
  const policy = trustPolicyText(role, accountId)
  const arn = `arn:aws:iam::${accountId}:role/${role.roleName}`
  try {
    const out = await iam.send(
      new CreateRoleCommand({
        RoleName: role.roleName,
        AssumeRolePolicyDocument: policy,
        MaxSessionDuration: plan.maxSessionDuration,
        Description: `keyless deployments of organization ${plan.organizationId}`,
      }),
    )
    actions.push(`created role ${out.Role?.Arn ?? arn}`)
    return out.Role?.Arn ?? arn
  } catch (error) {
    if (!isName(error, 'EntityAlreadyExists')) throw error
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: role.roleName, PolicyDocument: policy }),
    )
    await iam.send(
      new UpdateRoleCommand({
        RoleName: role.roleName,
        MaxSessionDuration: plan.maxSessionDuration,
      }),
    )
    actions.push(`role ${arn} exists; trust policy and MaxSessionDuration updated`)
    return arn
  }
}

/** Attaches the plan role's managed policies; an endpoint without managed policies is reported. */
async function attachPolicies(iam: IAMClient, role: PhaseRole, actions: string[]): Promise<void> {
  const { AttachRolePolicyCommand } = await iamSdk()
  for (const arn of role.managedPolicyArns)
    try {
      await iam.send(new AttachRolePolicyCommand({ RoleName: role.roleName, PolicyArn: arn }))
      actions.push(`attached ${arn} to ${role.roleName}`)
    } catch (error) {
      if (!isName(error, 'InvalidAction')) throw error
      actions.push(
        `not attached: ${arn} to ${role.roleName} (this endpoint has no managed policies, as the keyless emulator); attach it on AWS`,
      )
    }
}

/**
 * Creates (or brings up to date) the provider and the role of a setup plan: an existing provider
 * gets the audience added, an existing role gets the new trust policy and MaxSessionDuration.
 */
export async function applySetup(
  plan: SetupPlan,
  accountId: string,
  options: AwsOptions,
): Promise<ApplyResult> {
  const {
    IAMClient,
    CreateOpenIDConnectProviderCommand,
    AddClientIDToOpenIDConnectProviderCommand,
  } = await iamSdk()
  const iam = new IAMClient(clientConfig(options))
  const providerArn = providerArnOf(accountId, plan.providerUrl)
  const actions: string[] = []
  try {
    try {
      await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: plan.issuer,
          ClientIDList: [...plan.clientIds],
          ...(plan.thumbprints.length > 0 ? { ThumbprintList: [...plan.thumbprints] } : {}),
        }),
      )
      actions.push(`created OIDC provider ${providerArn}`)
    } catch (error) {
      if (!isName(error, 'EntityAlreadyExists')) throw error
      for (const id of plan.clientIds)
        await iam.send(
          new AddClientIDToOpenIDConnectProviderCommand({
            OpenIDConnectProviderArn: providerArn,
            ClientID: id,
          }),
        )
      actions.push(
        `OIDC provider ${providerArn} exists; client ID ${plan.clientIds.join(', ')} ensured`,
      )
    }
    const roleArn = await ensureRole(iam, plan, plan, accountId, actions)
    const planRole = plan.planRole
    if (planRole === undefined) return { providerArn, roleArn, actions }
    const planRoleArn = await ensureRole(iam, plan, planRole, accountId, actions)
    await attachPolicies(iam, planRole, actions)
    return { providerArn, roleArn, planRoleArn, actions }
  } catch (error) {
    if (error instanceof KeylessError) throw error
    throw awsError(error, 'setup --apply', options)
  } finally {
    iam.destroy()
  }
}
