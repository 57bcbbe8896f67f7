/**
 * Deployment overhead with Azure and GCP credentials beside AWS (docs/azure.md, docs/gcp.md):
 * queued → first step running, for deployments of one project with an AWS credential only and
 * of one with AWS + Azure + GCP (each cloud its own token and the runner's own exchange before
 * the steps), alternating, one at a time. Control plane (SQLite), the AWS, Entra and Google
 * emulators and the agent run in this process with their real HTTP(S) servers on loopback.
 */
import { join } from 'node:path'
import { buildAzureEmulator } from '../../src/emulator/azure/index.js'
import { buildGcpEmulator } from '../../src/emulator/gcp/index.js'
import { get, post } from '../../src/runner/clouds/http.js'
import type { RunResult } from '../../src/runner/index.js'
import { benchAgent, startDeployStack, type Api } from '../support/deploy-stack.js'
import { quantile } from '../support/quantile.js'
import type { BenchSection } from '../types.js'

const N = 60
const WARMUP = 5
const TENANT = '8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10'
const NUMBER = '123456789012'

async function listen(app: {
  listen: (o: { port: number; host: string }) => Promise<string>
}): Promise<string> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return address.replace('localhost', '127.0.0.1')
}

async function call(url: string, body: unknown, ca?: string): Promise<Record<string, unknown>> {
  const r = await post(url, JSON.stringify(body), {
    headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
    extraCa: ca,
  })
  if (r.status >= 300) throw new Error(`POST ${url}: ${r.status} ${r.body}`)
  return JSON.parse(r.body) as Record<string, unknown>
}

/** Azure and GCP trust for the project's environment, and its two credentials, assigned. */
async function trustClouds(
  api: Api,
  ids: { org: string; project: string; environment: string; issuer: string },
  azure: { url: string; ca: string },
  gcpUrl: string,
): Promise<void> {
  const app = await call(`${azure.url}/v1.0/applications`, { displayName: 'bench' }, azure.ca)
  await call(
    `${azure.url}/v1.0/applications/${String(app['id'])}/federatedIdentityCredentials`,
    {
      name: 'bench',
      issuer: ids.issuer,
      subject: `org:${ids.org}:project:${ids.project}:environment:${ids.environment}`,
      audiences: [`azure:${ids.org}`],
    },
    azure.ca,
  )
  const pools = `${gcpUrl}/v1/projects/${NUMBER}/locations/global/workloadIdentityPools`
  await call(`${pools}?workloadIdentityPoolId=bench`, {})
  await call(`${pools}/bench/providers?workloadIdentityPoolProviderId=keyless`, {
    oidc: { issuerUri: ids.issuer, allowedAudiences: [`gcp:${ids.org}`] },
    attributeMapping: {
      'google.subject': 'assertion.sub',
      'attribute.org': 'assertion.organizationId',
    },
    attributeCondition: `assertion.organizationId == '${ids.org}'`,
  })
  const sa = await call(`${gcpUrl}/v1/projects/bench-proj/serviceAccounts`, {
    accountId: 'bench-deployer',
  })
  const member = `principalSet://iam.googleapis.com/projects/${NUMBER}/locations/global/workloadIdentityPools/bench/attribute.org/${ids.org}`
  await call(`${gcpUrl}/v1/projects/-/serviceAccounts/${String(sa['email'])}:setIamPolicy`, {
    policy: { bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [member] }] },
  })
  for (const body of [
    {
      type: 'azure-oidc',
      name: 'az',
      tenantId: TENANT,
      clientId: app['appId'],
      subscriptionId: '99999999-8888-4777-8666-555555555555',
      authorityHost: azure.url,
    },
    {
      type: 'gcp-oidc',
      name: 'gcp',
      projectNumber: NUMBER,
      gcpProjectId: 'bench-proj',
      poolId: 'bench',
      providerId: 'keyless',
      serviceAccountEmail: sa['email'],
      stsEndpoint: gcpUrl,
      iamCredentialsEndpoint: gcpUrl,
    },
  ]) {
    const c = await api('POST', `/api/v1/organizations/${ids.org}/credentials`, body)
    await api('PUT', `/api/v1/projects/${ids.project}/credentials/${c.id}`)
  }
}

export async function run(): Promise<BenchSection> {
  const stack = await startDeployStack('clouds')
  const { api, ids } = stack
  const azureApp = await buildAzureEmulator({ dataDir: join(stack.dir, 'entra') })
  const gcpApp = await buildGcpEmulator({})
  const azure = { url: await listen(azureApp), ca: azureApp.azure.tls.caPem }
  const gcpUrl = await listen(gcpApp)
  await get(`${azure.url}/_keyless/health`, { headers: {}, extraCa: azure.ca })
  const template = await api('POST', `/api/v1/organizations/${ids.org}/templates`, {
    name: 'noop',
    type: 'custom',
    steps: [{ name: 'noop', run: 'true' }],
  })
  const envOf = async (project: string) =>
    (
      await api('POST', `/api/v1/projects/${project}/environments`, {
        name: 'e',
        templateId: template.id,
      })
    ).id as string
  const awsEnv = await envOf(ids.project)
  const cloudProject = await api('POST', `/api/v1/organizations/${ids.org}/projects`, { name: 'q' })
  const awsCredential = (await api('GET', `/api/v1/projects/${ids.project}/credentials`)).items[0]
  await api('PUT', `/api/v1/projects/${cloudProject.id}/credentials/${awsCredential.id}`)
  const cloudEnv = await envOf(cloudProject.id)
  await trustClouds(
    api,
    { org: ids.org, project: cloudProject.id, environment: cloudEnv, issuer: stack.plane.issuer },
    azure,
    gcpUrl,
  )
  const results = new Map<string, (r: RunResult) => void>()
  const agent = benchAgent(
    stack,
    { PATH: '/usr/bin:/bin' },
    (e) => {
      if (e.type === 'finished') results.get(e.deploymentId)?.(e.result)
    },
    azureApp.azure.tls.caFile,
  )
  agent.start()
  const firstStep: Record<'aws' | 'clouds', number[]> = { aws: [], clouds: [] }
  const exchanges: number[] = []
  try {
    for (let i = 0; i < 2 * (N + WARMUP); i++) {
      const which = i % 2 === 0 ? 'aws' : 'clouds'
      const env = which === 'aws' ? awsEnv : cloudEnv
      const created = await api('POST', `/api/v1/environments/${env}/deployments`, {
        type: 'deploy',
      })
      const result = await new Promise<RunResult>((resolve) => results.set(created.id, resolve))
      results.delete(created.id)
      if (result.status !== 'succeeded')
        throw new Error(`bench deployment ${created.id}: ${result.message ?? ''}`)
      if (i < 2 * WARMUP) continue
      const t = result.timings
      firstStep[which].push((t.firstStepStartedAt ?? 0) - Date.parse(created.createdAt))
      if (which === 'clouds') exchanges.push(t.cloudExchangeMs ?? 0)
    }
  } finally {
    await agent.stop({ cancelRunning: true })
    await azureApp.close()
    await gcpApp.close()
    await stack.close()
  }
  return section(firstStep, exchanges)
}

function section(firstStep: Record<'aws' | 'clouds', number[]>, exchanges: number[]): BenchSection {
  const ms = (v: number): string => `${v.toFixed(1)} ms`
  const row = (label: string, v: number[]) => [label, ms(quantile(v, 0.5)), ms(quantile(v, 0.99))]
  const extra = quantile(firstStep.clouds, 0.5) - quantile(firstStep.aws, 0.5)
  return {
    title: 'Deployment overhead with Azure and GCP credentials',
    notes: [
      `${N} deployments of each kind (after ${WARMUP} warm-up runs each), alternating, one at a time, of a \`custom\` template whose one step is \`true\`: one project with an AWS credential only, one with AWS + Azure + GCP (GCP impersonating a service account). The control plane (SQLite), the three emulators (Entra over TLS) and one agent run in one process on loopback. The clouds' exchanges are the runner's own before the first step: an Azure token minted and exchanged at Entra, a GCP token minted, exchanged at STS, then generateAccessToken.`,
    ],
    columns: ['measure', 'median', 'p99'],
    rows: [
      row('queued → first step running, AWS only', firstStep.aws),
      row('queued → first step running, AWS + Azure + GCP', firstStep.clouds),
      row(
        'the runner’s Azure + GCP exchanges alone (the two extra mints, the token and credential files are the rest of the difference)',
        exchanges,
      ),
    ],
    targets: [
      { target: 'added by Azure + GCP (median, reported)', measured: ms(extra), met: true },
    ],
  }
}
