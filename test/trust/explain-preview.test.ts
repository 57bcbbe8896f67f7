/**
 * `keyless explain --environment`: the claims of the environment's next token, read from the
 * control plane's oidc-preview (no deployment, no mint), against the provider of a real
 * `keyless emulator` read live through IAM — allowed for the organization its condition pins,
 * denied with the condition named for another; and the usage errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GCP_PROJECT_NUMBER, trustGcp } from '../e2e/support/gcp-world.js'
import { startStack, type Stack } from '../e2e/support/stack.js'
import { createEnv, createOrg, type Env, type Org } from '../e2e/support/world.js'
import { runTrustCli } from './cli-harness.js'

let stack: Stack
let org: Org
let env: Env
let provider = ''

beforeAll(async () => {
  stack = await startStack()
  org = await createOrg(stack, 'explain-preview')
  env = await createEnv(stack, org, { steps: [{ name: 'never', run: 'true' }], credential: null })
  await trustGcp(stack, org, env)
  const pools = await fetch(
    `${stack.gcpUrl}/v1/projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools`,
    { headers: { authorization: 'Bearer test' } },
  )
  const pool = (
    (await pools.json()) as { workloadIdentityPools: Array<{ name: string }> }
  ).workloadIdentityPools.at(-1)?.name
  provider = `${pool ?? ''}/providers/keyless`
}, 120_000)
afterAll(async () => {
  await stack?.stop()
})

const client = (): string[] => ['--server', stack.serverUrl, '--api-key', stack.adminKey]
const live = (): string[] => ['--provider', provider, '--endpoint-url', stack.gcpUrl]

describe('explain --environment', () => {
  it('explains the next token without a deployment: allowed by the provider pinning the organization', async () => {
    const r = await runTrustCli([
      'explain',
      '--cloud',
      'gcp',
      '--environment',
      env.environmentId,
      ...live(),
      '--admin-token',
      'test',
      ...client(),
    ])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stderr).toContain(
      `note: explaining the claims of environment ${env.environmentId}'s next deploy token for gcp`,
    )
    expect(r.stdout).toContain(`org:${org.id}:project:${env.projectId}`)
    const deployments = await stack.api('GET', `/api/v1/organizations/${org.id}/deployments`)
    expect(deployments.items).toEqual([])
  })

  it('denied, naming the condition, for a provider that pins another organization', async () => {
    const other = await createEnv(stack, org, {
      steps: [{ name: 'never', run: 'true' }],
      credential: null,
    })
    await trustGcp(stack, org, other, {
      condition: "assertion.organizationId == 'org_someone_else'",
    })
    const pools = await fetch(
      `${stack.gcpUrl}/v1/projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools`,
      { headers: { authorization: 'Bearer test' } },
    )
    const pool = (
      (await pools.json()) as { workloadIdentityPools: Array<{ name: string }> }
    ).workloadIdentityPools.at(-1)?.name
    const r = await runTrustCli([
      'explain',
      '--cloud',
      'gcp',
      '--environment',
      other.environmentId,
      '--provider',
      `${pool ?? ''}/providers/keyless`,
      '--endpoint-url',
      stack.gcpUrl,
      '--admin-token',
      'test',
      ...client(),
    ])
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toContain('org_someone_else')
  })

  it('another cloud without a credential: the control plane’s reason on one line', async () => {
    const r = await runTrustCli([
      'explain',
      '--cloud',
      'azure',
      '--environment',
      env.environmentId,
      '--fic-file',
      '-',
      ...client(),
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /^keyless: project prj_\S+ has no azure credential assigned; assign one \(PUT \/api\/v1\/projects\/prj_\S+\/credentials\/\{credentialId\}\) before asking for its token\n$/u,
    )
    expect(r.stderr).not.toMatch(/\n\s+at /u)
  })

  const usage: ReadonlyArray<[string, string[], RegExp]> = [
    ['neither --token nor --environment', [], /give --token .* or --environment/u],
    ['both', ['--token', 'x.y.z', '--environment', 'env_1'], /not both/u],
  ]
  it.each(usage)('usage error: %s', async (_name, args, message) => {
    const r = await runTrustCli(['explain', '--cloud', 'gcp', ...args])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })
})
