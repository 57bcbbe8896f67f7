/**
 * End to end with the control plane and the emulator: `setup aws` reads the organization's OIDC
 * settings from the server and creates the role, `preflight` takes the oidc-preview claims, reads
 * the role through IAM and runs the negative test (sibling environment, other project), and real
 * tokens minted by the server are accepted for the organization's project and rejected for a
 * sibling project by the emulator's STS.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type AddressInfo } from 'node:net'
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildEmulator, type Emulator } from '../../src/emulator/index.js'
import { createIdentityProvider, type ManagedIdentityProvider } from '../../src/idp/index.js'
import { buildServer, type KeylessServer } from '../../src/server/app.js'
import { systemClock } from '../../src/shared/clock.js'
import { silentLogger } from '../../src/shared/logger.js'
import { openStore, type Store } from '../../src/store/database.js'
import { runTrustCli } from './cli-harness.js'

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/keyless-e2e`

let store: Store
let idp: ManagedIdentityProvider
let server: KeylessServer
let emulator: Emulator
let serverUrl = ''
let endpoint = ''
let key = ''
const ids = { org: '', projectA: '', projectB: '', envA1: '', envA2: '', envB1: '' }

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- REST answers are read field by field
async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${serverUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text === '' ? undefined : JSON.parse(text)
}

async function tokenFor(environmentId: string): Promise<string> {
  const deployment = await api('POST', `/api/v1/environments/${environmentId}/deployments`, {})
  return (await api('POST', `/api/v1/deployments/${deployment.id}/oidc-token`)).token as string
}

async function assume(token: string): Promise<string> {
  const sts = new STSClient({ region: 'us-east-1', endpoint, maxAttempts: 1 })
  try {
    const out = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: ROLE,
        RoleSessionName: 'e2e',
        WebIdentityToken: token,
      }),
    )
    return out.AssumedRoleUser?.Arn ?? ''
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`
  } finally {
    sts.destroy()
  }
}

const cli = (args: string[]) =>
  runTrustCli([...args, '--server', serverUrl, '--api-key', key, '--endpoint-url', endpoint])

beforeAll(async () => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test')
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test')
  const port = await freePort()
  serverUrl = `http://127.0.0.1:${port}`
  store = await openStore({ url: ':memory:' })
  const logger = silentLogger()
  idp = await createIdentityProvider({
    issuerUrl: serverUrl,
    store,
    masterKey: randomBytes(32),
    clock: systemClock,
    logger,
    signingAlg: 'RS256',
    tokenTtlSeconds: 600,
    keyPrepublishSeconds: 0,
  })
  server = await buildServer(
    { webRoot: null, sweepIntervalMs: 0, leaseSeconds: 60 },
    { store, idp, clock: systemClock, logger },
  )
  key = (await server.platform.bootstrapOwner({ email: 'owner@example.com' })).key!
  await server.listen({ port, host: '127.0.0.1' })
  emulator = await buildEmulator(
    { accountId: ACCOUNT, accessKeyId: 'test', secretAccessKey: 'test' },
    { clock: systemClock },
  )
  await emulator.listen({ port: 0, host: '127.0.0.1' })
  endpoint = `http://127.0.0.1:${(emulator.server.address() as AddressInfo).port}`

  const org = await api('POST', '/api/v1/organizations', { name: 'acme' })
  ids.org = org.id
  const template = await api('POST', `/api/v1/organizations/${org.id}/templates`, {
    name: 'hello',
    type: 'custom',
    steps: [{ name: 'say', run: 'echo hi' }],
  })
  const credential = await api('POST', `/api/v1/organizations/${org.id}/credentials`, {
    name: 'aws',
    roleArn: ROLE,
  })
  for (const [p, envs] of [
    ['projectA', ['envA1', 'envA2']],
    ['projectB', ['envB1']],
  ] as const) {
    const project = await api('POST', `/api/v1/organizations/${org.id}/projects`, { name: p })
    ids[p] = project.id
    await api('PUT', `/api/v1/projects/${project.id}/credentials/${credential.id}`)
    for (const e of envs)
      ids[e] = (
        await api('POST', `/api/v1/projects/${project.id}/environments`, {
          name: e,
          templateId: template.id,
        })
      ).id
  }
})

afterAll(async () => {
  await server?.close()
  await emulator?.close()
  await idp?.close()
  await store?.close()
  vi.unstubAllEnvs()
})

describe('setup → preflight → deploy with the control plane and the emulator', () => {
  it('setup aws reads the organization from the server and creates a role that lints clean', async () => {
    const r = await cli([
      'setup',
      'aws',
      '--organization',
      ids.org,
      '--project',
      ids.projectA,
      '--role-name',
      'keyless-e2e',
      '--apply',
    ])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`role ARN: ${ROLE}`)
    const oidc = await api('GET', `/api/v1/organizations/${ids.org}/oidc`)
    const lint = await runTrustCli([
      'lint',
      '--role-arn',
      ROLE,
      '--endpoint-url',
      endpoint,
      '--issuer',
      oidc.issuer,
      '--audience',
      oidc.audience,
      '--format',
      'json',
    ])
    expect(JSON.parse(lint.stdout).findings).toEqual([])
  })

  it("accepts the project's deployment token and rejects a sibling project's", async () => {
    expect(await assume(await tokenFor(ids.envA1))).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/keyless-e2e/e2e`,
    )
    expect(await assume(await tokenFor(ids.envB1))).toBe(
      'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    )
  })

  it('preflight: a project-wide role passes as project-scoped (its own pinning)', async () => {
    const r = await cli(['preflight', '--environment', ids.envA1])
    expect(r.stdout).toContain('Scope: project')
    expect(r.stdout).toMatch(new RegExp(`ok +sibling-environment ${ids.envA2}`, 'u'))
    expect(r.code).toBe(0)
  })

  it('preflight --scope environment: a project-wide role is too broad, and shows the pin', async () => {
    const r = await cli(['preflight', '--environment', ids.envA1, '--scope', 'environment'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`TOO BROAD sibling-environment ${ids.envA2}`)
    expect(r.stdout).toMatch(new RegExp(`ok +other-project ${ids.envB1}`, 'u'))
    expect(r.stdout).toContain(
      `"StringLike":{"127.0.0.1:${new URL(serverUrl).port}:sub":"org:${ids.org}:project:${ids.projectA}:environment:${ids.envA1}:type:*"}`,
    )
  })

  it('preflight passes once the role is pinned to the environment, and fails for another project', async () => {
    const s = await cli([
      'setup',
      'aws',
      '--organization',
      ids.org,
      '--environment',
      ids.envA1,
      '--role-name',
      'keyless-e2e',
      '--apply',
    ])
    expect(s.code).toBe(0)
    const ok = await cli(['preflight', '--environment', ids.envA1, '--format', 'json'])
    expect(ok.code).toBe(0)
    const result = JSON.parse(ok.stdout)
    expect(result.ok).toBe(true)
    expect(result.negative.map((n: { decision: string }) => n.decision)).toEqual([
      'denied',
      'denied',
    ])
    expect(result.negative.every((n: { hypothetical: boolean }) => !n.hypothetical)).toBe(true)
    const other = await cli(['preflight', '--environment', ids.envB1])
    expect(other.code).toBe(1)
    expect(other.stdout).toContain('Preflight failed: the first deployment would get AccessDenied')
    expect(await assume(await tokenFor(ids.envA2))).toMatch(/^AccessDenied/u)
  })

  it('a subject-template change gives a dual-accept policy that still admits old subjects', async () => {
    const old = (await api('GET', `/api/v1/organizations/${ids.org}/oidc`))
      .subjectTemplate as string
    await api('PATCH', `/api/v1/organizations/${ids.org}`, {
      subjectTemplate: 'org:{organizationId}:v2:{projectId}:{environmentId}:{deploymentType}',
    })
    const r = await cli([
      'setup',
      'aws',
      '--organization',
      ids.org,
      '--environment',
      ids.envA1,
      '--role-name',
      'keyless-e2e',
      '--format',
      'json',
      '--account-id',
      ACCOUNT,
    ])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).subjects).toEqual([
      `org:${ids.org}:v2:${ids.projectA}:${ids.envA1}:*`,
      `org:${ids.org}:project:${ids.projectA}:environment:${ids.envA1}:type:*`,
    ])
    expect(r.stderr).toContain('L18') // the old half of the dual accept, to remove after the migration
    await api('PATCH', `/api/v1/organizations/${ids.org}`, { subjectTemplate: old })
  })

  it('bad input: unknown environment, wrong key', async () => {
    const r = await cli(['preflight', '--environment', 'env_doesnotexist0000'])
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(
      /^keyless: GET \/api\/v1\/environments\/env_doesnotexist0000\/oidc-preview: /u,
    )
    const k = await runTrustCli([
      'preflight',
      '--environment',
      ids.envA1,
      '--server',
      serverUrl,
      '--api-key',
      'wrong',
    ])
    expect(k.code).toBe(3)
  })
})
