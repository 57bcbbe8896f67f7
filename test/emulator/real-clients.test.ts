/**
 * The real clients against `keyless emulator` in its own process: @aws-sdk/client-sts +
 * client-iam (typed exceptions, fromWebToken / fromTokenFile), the Debian AWS CLI and boto3.
 * Each creates a provider and a role, assumes it with a token from a loopback test issuer and
 * calls GetCallerIdentity with the credentials it got. CLI and boto3 skip when missing, unless
 * KEYLESS_REQUIRE_AWS_CLIENTS=1.
 */
import { execFile, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
  IAMClient,
  LimitExceededException,
  MalformedPolicyDocumentException as IamMalformedPolicyDocumentException,
  NoSuchEntityException,
} from '@aws-sdk/client-iam'
import {
  AssumeRoleWithWebIdentityCommand,
  ExpiredTokenException,
  GetCallerIdentityCommand,
  InvalidIdentityTokenException,
  MalformedPolicyDocumentException,
  PackedPolicyTooLargeException,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts'
import { fromTokenFile, fromWebToken } from '@aws-sdk/credential-providers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulatorProcess, type EmulatorProcess } from '../support/emulator-process.js'
import { AWS_CLI, PYTHON, requireAwsClients } from '../support/env.js'
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js'

const run = promisify(execFile)
const ACCOUNT = '111122223333'
/** Old botocore (Debian's 1.29) still requires a thumbprint list. */
const THUMBPRINT = '990f4193972f2becf12ddeda5237f9c952f20d9e'
const admin = { accessKeyId: 'AKIDADMIN', secretAccessKey: 'admin-secret' }

function trust(issuer: TestIssuer): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}` },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
        Condition: { StringEquals: { [`${issuer.host}:aud`]: 'sts.amazonaws.com' } },
      },
    ],
  })
}

function hasBoto3(): boolean {
  if (!existsSync(PYTHON)) return false
  try {
    execFileSync(PYTHON, ['-c', 'import boto3'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

let emulator: EmulatorProcess
const issuers: TestIssuer[] = []

beforeAll(async () => {
  emulator = await startEmulatorProcess([
    '--account-id',
    ACCOUNT,
    '--access-key-id',
    admin.accessKeyId,
    '--secret-access-key',
    admin.secretAccessKey,
  ])
})

afterAll(async () => {
  await emulator?.stop()
  for (const i of issuers) await i.close()
})

async function newIssuer(): Promise<TestIssuer> {
  const issuer = await startTestIssuer()
  issuers.push(issuer)
  return issuer
}

describe('AWS SDK for JavaScript v3', () => {
  const config = () => ({ endpoint: emulator.endpoint, region: 'us-east-1', maxAttempts: 1 })

  it('creates a provider and role, assumes it, and calls GetCallerIdentity', async () => {
    const issuer = await newIssuer()
    const iam = new IAMClient({ ...config(), credentials: admin })
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: issuer.url,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    )
    expect(created.OpenIDConnectProviderArn).toBe(
      `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`,
    )
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: 'sdk', AssumeRolePolicyDocument: trust(issuer) }),
    )
    expect(role.Role?.RoleId).toMatch(/^AROA/u)
    const got = await iam.send(new GetRoleCommand({ RoleName: 'sdk' }))
    expect(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? '')).toBe(trust(issuer))

    const sts = new STSClient(config())
    const out = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/sdk`,
        RoleSessionName: 'js',
        WebIdentityToken: await issuer.mint({
          'https://aws.amazon.com/tags': { principal_tags: { team: ['a'] } },
        }),
        DurationSeconds: 900,
      }),
    )
    expect(out.Credentials?.Expiration).toBeInstanceOf(Date)
    expect(out.Provider).toBe(created.OpenIDConnectProviderArn)
    expect(out.PackedPolicySize).toBeGreaterThan(0)
    const c = out.Credentials!
    const who = await new STSClient({
      ...config(),
      credentials: {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      },
    }).send(new GetCallerIdentityCommand({}))
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/sdk/js`)
    expect(who.UserId).toBe(`${role.Role?.RoleId}:js`)

    const root = await new STSClient({ ...config(), credentials: admin }).send(
      new GetCallerIdentityCommand({}),
    )
    expect(root).toMatchObject({
      Arn: `arn:aws:iam::${ACCOUNT}:root`,
      UserId: ACCOUNT,
      Account: ACCOUNT,
    })
  })

  it('maps every error to its typed exception', async () => {
    const issuer = await newIssuer()
    const iam = new IAMClient({ ...config(), credentials: admin })
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: issuer.url,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    )
    await expect(
      iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer.url })),
    ).rejects.toBeInstanceOf(EntityAlreadyExistsException)
    await expect(iam.send(new GetRoleCommand({ RoleName: 'nope' }))).rejects.toBeInstanceOf(
      NoSuchEntityException,
    )
    await expect(
      iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: '{bad' })),
    ).rejects.toBeInstanceOf(IamMalformedPolicyDocumentException)
    await expect(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'x',
          AssumeRolePolicyDocument: trust(issuer).replace(
            '2012-10-17',
            `2012-10-17","Id":"${'x'.repeat(2000)}`,
          ),
        }),
      ),
    ).rejects.toBeInstanceOf(LimitExceededException)
    await iam.send(
      new CreateRoleCommand({ RoleName: 'typed', AssumeRolePolicyDocument: trust(issuer) }),
    )

    const sts = new STSClient(config())
    const assume = (token: string, extra: Record<string, unknown> = {}) =>
      sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/typed`,
          RoleSessionName: 'js',
          WebIdentityToken: token,
          ...extra,
        }),
      )
    await expect(assume(await issuer.mint({ aud: 'nope' }))).rejects.toBeInstanceOf(
      InvalidIdentityTokenException,
    )
    await expect(assume(await issuer.mint({}, { expiresIn: -10 }))).rejects.toBeInstanceOf(
      ExpiredTokenException,
    )
    await expect(assume(await issuer.mint(), { Policy: '{bad' })).rejects.toBeInstanceOf(
      MalformedPolicyDocumentException,
    )
    const tags = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`k${i}`, [randomBytes(60).toString('hex')]]),
    )
    await expect(
      assume(await issuer.mint({ 'https://aws.amazon.com/tags': { principal_tags: tags } })),
    ).rejects.toBeInstanceOf(PackedPolicyTooLargeException)
    const denied = await assume(await issuer.mint({ sub: 'x' }), {
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope`,
    }).catch((e: unknown) => e)
    expect(denied).toBeInstanceOf(STSServiceException)
    expect((denied as STSServiceException).name).toBe('AccessDenied')
    expect((denied as STSServiceException).$metadata.httpStatusCode).toBe(403)
  })

  it('works with the fromWebToken and fromTokenFile credential providers', async () => {
    const issuer = await newIssuer()
    const iam = new IAMClient({ ...config(), credentials: admin })
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: issuer.url,
        ClientIDList: ['sts.amazonaws.com'],
      }),
    )
    await iam.send(
      new CreateRoleCommand({ RoleName: 'providers', AssumeRolePolicyDocument: trust(issuer) }),
    )
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/providers`
    const credentials = fromWebToken({
      roleArn,
      webIdentityToken: await issuer.mint(),
      roleSessionName: 'web',
      clientConfig: config(),
    })
    const who = await new STSClient({ ...config(), credentials }).send(
      new GetCallerIdentityCommand({}),
    )
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/providers/web`)

    const dir = mkdtempSync(join(tmpdir(), 'keyless-emu-'))
    const file = join(dir, 'token')
    writeFileSync(file, await issuer.mint())
    const fromFile = fromTokenFile({
      roleArn,
      webIdentityTokenFile: file,
      roleSessionName: 'file',
      clientConfig: config(),
    })
    const who2 = await new STSClient({ ...config(), credentials: fromFile }).send(
      new GetCallerIdentityCommand({}),
    )
    expect(who2.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/providers/file`)
  })
})

const cliPresent = existsSync(AWS_CLI)
describe.skipIf(!cliPresent && !requireAwsClients)('Debian AWS CLI', () => {
  it('creates a provider and role, assumes it, and calls get-caller-identity', async () => {
    const issuer = await newIssuer()
    const dir = mkdtempSync(join(tmpdir(), 'keyless-cli-'))
    const policyFile = join(dir, 'trust.json')
    writeFileSync(policyFile, trust(issuer))
    const base = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    }
    const adminEnv = {
      ...base,
      AWS_ACCESS_KEY_ID: admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: admin.secretAccessKey,
    }
    const aws = async (args: string[], env: NodeJS.ProcessEnv) =>
      JSON.parse(
        (
          await run(AWS_CLI, [...args, '--endpoint-url', emulator.endpoint, '--output', 'json'], {
            env,
          })
        ).stdout || '{}',
      )
    const created = await aws(
      [
        'iam',
        'create-open-id-connect-provider',
        '--url',
        issuer.url,
        '--client-id-list',
        'sts.amazonaws.com',
        '--thumbprint-list',
        THUMBPRINT,
      ],
      adminEnv,
    )
    expect(created.OpenIDConnectProviderArn).toBe(
      `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`,
    )
    await aws(
      [
        'iam',
        'create-role',
        '--role-name',
        'cli',
        '--assume-role-policy-document',
        `file://${policyFile}`,
      ],
      adminEnv,
    )
    const out = await aws(
      [
        'sts',
        'assume-role-with-web-identity',
        '--role-arn',
        `arn:aws:iam::${ACCOUNT}:role/cli`,
        '--role-session-name',
        'cli',
        '--web-identity-token',
        await issuer.mint(),
      ],
      base,
    )
    expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/cli/cli`)
    const who = await aws(['sts', 'get-caller-identity'], {
      ...base,
      AWS_ACCESS_KEY_ID: out.Credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: out.Credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: out.Credentials.SessionToken,
    })
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/cli/cli`)
    const failed = await run(
      AWS_CLI,
      [
        'sts',
        'assume-role-with-web-identity',
        '--endpoint-url',
        emulator.endpoint,
        '--role-arn',
        `arn:aws:iam::${ACCOUNT}:role/cli`,
        '--role-session-name',
        'cli',
        '--web-identity-token',
        await issuer.mint({ aud: 'x' }),
      ],
      { env: base },
    ).catch((e: { stderr: string }) => e)
    expect(failed.stderr).toMatch(/InvalidIdentityToken.*Incorrect token audience/u)
  })
})

describe.skipIf(!hasBoto3() && !requireAwsClients)('boto3 (Debian python3)', () => {
  it('creates a provider and role, assumes it, and calls get_caller_identity', async () => {
    const issuer = await newIssuer()
    const script = `
import json, sys, boto3, botocore
ep, url, host, token, trust, bad = sys.argv[1:7]
iam = boto3.client('iam', endpoint_url=ep, region_name='us-east-1', aws_access_key_id='${admin.accessKeyId}', aws_secret_access_key='${admin.secretAccessKey}')
arn = iam.create_open_id_connect_provider(Url=url, ClientIDList=['sts.amazonaws.com'], ThumbprintList=['${THUMBPRINT}'])['OpenIDConnectProviderArn']
iam.create_role(RoleName='boto', AssumeRolePolicyDocument=trust)
doc = iam.get_role(RoleName='boto')['Role']['AssumeRolePolicyDocument']
sts = boto3.client('sts', endpoint_url=ep, region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='y')
out = sts.assume_role_with_web_identity(RoleArn='arn:aws:iam::${ACCOUNT}:role/boto', RoleSessionName='py', WebIdentityToken=token)
c = out['Credentials']
who = boto3.client('sts', endpoint_url=ep, region_name='us-east-1', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken']).get_caller_identity()
try:
    sts.assume_role_with_web_identity(RoleArn='arn:aws:iam::${ACCOUNT}:role/boto', RoleSessionName='py', WebIdentityToken=bad)
    code = None
except botocore.exceptions.ClientError as e:
    code = e.response['Error']['Code']
print(json.dumps({'arn': arn, 'who': who['Arn'], 'provider': out['Provider'], 'docIsDict': isinstance(doc, dict), 'code': code}))
`
    const { stdout } = await run(
      PYTHON,
      [
        '-c',
        script,
        emulator.endpoint,
        issuer.url,
        issuer.host,
        await issuer.mint(),
        trust(issuer),
        await issuer.mint({}, { expiresIn: -5 }),
      ],
      {
        env: {
          PATH: '/usr/bin:/bin',
          HOME: tmpdir(),
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    )
    const result = JSON.parse(stdout)
    expect(result).toEqual({
      arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`,
      who: `arn:aws:sts::${ACCOUNT}:assumed-role/boto/py`,
      provider: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.host}`,
      docIsDict: true,
      code: 'ExpiredTokenException',
    })
  })
})
