/**
 * Builds what deployments need through the public APIs only: organizations, projects, templates,
 * environments, credentials and variables through the REST API; the OIDC provider and roles
 * through IAM (AWS SDK) at an emulator. Trust policies come from `planSetup`, the generator behind
 * `keyless setup aws`, unless a test wants a broken one.
 */
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { planSetup } from '../../../src/trust/index.js'
import { ACCOUNT, EMULATOR_KEYS, type Json, type Stack } from './stack.js'

export interface Org {
  readonly id: string
  readonly audience: string
  readonly issuer: string
  readonly agentToken: string
}

export async function createOrg(stack: Stack, name: string): Promise<Org> {
  const org = await stack.api('POST', '/api/v1/organizations', { name })
  const oidc = await stack.api('GET', `/api/v1/organizations/${org.id}/oidc`)
  const token = await stack.api('POST', `/api/v1/organizations/${org.id}/agent-tokens`, {
    name: `${name}-agent`,
  })
  return { id: org.id, audience: org.audience, issuer: oidc.issuer, agentToken: token.token }
}

function iam(endpoint: string): IAMClient {
  return new IAMClient({ region: 'us-east-1', endpoint, credentials: EMULATOR_KEYS })
}

/** Registers the issuer at an emulator with these client IDs (idempotent). */
export async function ensureProvider(
  endpoint: string,
  issuer: string,
  clientIds: string[],
): Promise<void> {
  const client = iam(endpoint)
  try {
    await client.send(
      new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: clientIds }),
    )
  } catch (error) {
    if ((error as { name?: string }).name !== 'EntityAlreadyExistsException') throw error
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.replace(/^https?:\/\//u, '')}`
    for (const id of clientIds)
      await client.send(
        new AddClientIDToOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: arn,
          ClientID: id,
        }),
      )
  }
}

/** The trust policy `keyless setup aws` generates for an organization (any project). */
export function generatedTrustPolicy(org: Org): Record<string, Json> {
  return structuredClone(
    planSetup({
      organizationId: org.id,
      issuer: org.issuer,
      audience: org.audience,
      sessionTags: true,
      roleName: 'x',
      accountId: ACCOUNT,
    }).trustPolicy,
  ) as Record<string, Json>
}

export async function createRole(
  endpoint: string,
  name: string,
  trustPolicy: unknown,
  maxSessionDuration = 3600,
): Promise<string> {
  await iam(endpoint).send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
      MaxSessionDuration: maxSessionDuration,
    }),
  )
  return `arn:aws:iam::${ACCOUNT}:role/${name}`
}

/**
 * A step that runs GetCallerIdentity through the AWS SDK's default credential chain, as plain
 * JavaScript (no TypeScript loader per step: several run at once on two cores). `keyless up
 * --demo` runs the shipped script (src/runner/aws-whoami.ts); its own test covers that one.
 */
export function whoamiStep(dir: string): string {
  const file = join(dir, 'whoami.mjs')
  writeFileSync(
    file,
    [
      `import { GetCallerIdentityCommand, STSClient } from ${JSON.stringify(import.meta.resolve('@aws-sdk/client-sts'))}`,
      `import { decodeJwt } from ${JSON.stringify(import.meta.resolve('jose'))}`,
      `console.log('token subject:   ' + decodeJwt(process.env.KEYLESS_OIDC_TOKEN).sub)`,
      `const me = await new STSClient({}).send(new GetCallerIdentityCommand({}))`,
      `console.log('caller identity: ' + me.Arn)`,
    ].join('\n'),
  )
  return `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true "${process.execPath}" "${file}"`
}

export interface EnvOptions {
  readonly steps: Array<{ name: string; run: string }>
  readonly credential?: Record<string, unknown> | null
  readonly variables?: Record<string, { value: string; sensitive?: boolean }>
  readonly roleArnOverride?: string
}

export interface Env {
  readonly projectId: string
  readonly environmentId: string
  readonly credentialId: string | null
}

let counter = 0
export async function createEnv(stack: Stack, org: Org, options: EnvOptions): Promise<Env> {
  counter += 1
  const project = await stack.api('POST', `/api/v1/organizations/${org.id}/projects`, {
    name: `p${counter}`,
  })
  const template = await stack.api('POST', `/api/v1/organizations/${org.id}/templates`, {
    name: `t${counter}`,
    type: 'custom',
    steps: options.steps,
  })
  const environment = await stack.api('POST', `/api/v1/projects/${project.id}/environments`, {
    name: `e${counter}`,
    templateId: template.id,
    ...(options.roleArnOverride === undefined ? {} : { roleArnOverride: options.roleArnOverride }),
  })
  let credentialId: string | null = null
  if (options.credential !== undefined && options.credential !== null) {
    const credential = await stack.api('POST', `/api/v1/organizations/${org.id}/credentials`, {
      name: `c${counter}`,
      region: 'us-east-1',
      ...options.credential,
    })
    credentialId = credential.id
    await stack.api('PUT', `/api/v1/projects/${project.id}/credentials/${credential.id}`)
  }
  for (const [name, v] of Object.entries(options.variables ?? {}))
    await stack.api('PUT', `/api/v1/environments/${environment.id}/variables/${name}`, v)
  return { projectId: project.id, environmentId: environment.id, credentialId }
}

export async function deploy(stack: Stack, env: Env, type = 'deploy'): Promise<string> {
  const d = await stack.api('POST', `/api/v1/environments/${env.environmentId}/deployments`, {
    type,
  })
  return d.id as string
}

const FINISHED = ['succeeded', 'failed', 'cancelled']

export async function waitStatus(
  stack: Stack,
  id: string,
  statuses: string[] = FINISHED,
  ms = 60_000,
): Promise<Json> {
  const deadline = performance.now() + ms
  for (;;) {
    const d = await stack.api('GET', `/api/v1/deployments/${id}`)
    if (statuses.includes(d.status)) return d
    if (performance.now() > deadline) throw new Error(`deployment ${id} still ${d.status}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export async function logText(stack: Stack, id: string): Promise<string> {
  const out = await stack.api('GET', `/api/v1/deployments/${id}/logs?format=json`)
  return (out.items as Array<{ text: string }>).map((l) => l.text).join('\n')
}

export async function until(check: () => Promise<boolean> | boolean, what: string, ms = 30_000) {
  const deadline = performance.now() + ms
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * An organization whose issuer the emulator trusts, and a role named `roleName` under the trust
 * policy `keyless setup aws` generates for it: what a test of real exchanges starts from.
 */
export async function trustedOrg(
  stack: Stack,
  name: string,
  roleName = name,
): Promise<{ org: Org; roleArn: string }> {
  const org = await createOrg(stack, name)
  await ensureProvider(stack.emulatorUrl, org.issuer, [org.audience])
  const roleArn = await createRole(stack.emulatorUrl, roleName, generatedTrustPolicy(org))
  return { org, roleArn }
}

/** An environment whose one step calls GetCallerIdentity with static credentials of `roleArn`. */
export function whoamiEnv(stack: Stack, org: Org, roleArn: string): Promise<Env> {
  return createEnv(stack, org, {
    steps: [{ name: 'whoami', run: whoamiStep(stack.dir) }],
    credential: { roleArn, stsEndpoint: stack.emulatorUrl, refresh: false },
  })
}
