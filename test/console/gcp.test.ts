/**
 * The console for GCP against real processes (keyless server, keyless emulator with its Google
 * emulator, keyless agent): the GCP setup page (issuer, provider pinning the organization, the
 * workloadIdentityUser binding, Terraform and gcloud naming the pool and provider, a subject over
 * 127 bytes), a deployment Google refuses by its attribute condition explained on the deployment
 * page with the GCP service account card and no AWS role, and the environment's token preview per
 * cloud the project has a credential for; a pasted provider without an attribute condition linted
 * (GCP01); after the project's GCP credential is reassigned, the deployment page still shows the one
 * the deployment ran with, and a queued deployment the project's current one, which it will use.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { GCP_PROJECT_NUMBER, trustGcp } from '../e2e/support/gcp-world.js'
import { startStack, type Stack } from '../e2e/support/stack.js'
import {
  createEnv,
  deploy,
  waitStatus,
  type Env,
  type Org,
  createOrg,
} from '../e2e/support/world.js'
import {
  buildConsole,
  launchBrowser,
  runBrowserSuite,
  screenshots,
  type Browser,
} from './harness.js'

const LONG_TEMPLATE =
  'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}:deployment:{deploymentId}'
const ROLE = 'arn:aws:iam::123456789012:role/keyless-deployer'
/** A GCP credential's settings, for the ones the deployment page tests assign. */
const GCP_OTHER = {
  type: 'gcp-oidc',
  projectNumber: GCP_PROJECT_NUMBER,
  gcpProjectId: 'acme-prod',
  poolId: 'keyless',
  providerId: 'keyless-oidc',
}

describe.skipIf(!runBrowserSuite)('web console: GCP (chromium)', { timeout: 120_000 }, () => {
  let stack: Stack
  let org: Org
  let browser: Browser
  let page: Page
  let env: Env
  let gcp: { serviceAccount: string; credentialId: string }
  /** The deployment Google refused, claimed with `gcp`. */
  let refused = ''

  beforeAll(async () => {
    vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 100 } } })
    buildConsole()
    stack = await startStack()
    org = await createOrg(stack, 'gcp-console')
    stack.startAgent(org.agentToken)
    env = await createEnv(stack, org, {
      steps: [{ name: 'never', run: 'echo step-ran' }],
      credential: null,
    })
    // The provider admits another organization only: Google refuses this one's tokens.
    gcp = await trustGcp(stack, org, env, {
      condition: "assertion.organizationId == 'org_someone_else'",
    })
    browser = await launchBrowser()
    page = browser.page
    page.setDefaultTimeout(15_000)
    await page.goto(`${stack.serverUrl}/sign-in`)
    await page.getByLabel('API key').fill(stack.adminKey)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => url.pathname === `/orgs/${org.id}`)
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
  })

  afterEach(() => {
    expect(browser.errors()).toEqual([])
  })

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name })
  const go = async (suffix: string, title: string | RegExp) => {
    await page.goto(`${stack.serverUrl}/orgs/${org.id}${suffix}`)
    await heading(title).waitFor()
  }
  const pool = (): string => `kl-pool-1`
  const code = () => page.getByRole('tabpanel').locator('pre')

  it('links the GCP setup from the credential card and the navigation', async () => {
    await go('/credentials', 'Deployment credentials')
    const card = page.locator('.cred-card').filter({ hasText: `gcp-${env.projectId}` })
    await card.getByText('GCP OIDC').waitFor()
    expect(await card.getByRole('link', { name: 'GCP setup' }).getAttribute('href')).toBe(
      `/orgs/${org.id}/gcp`,
    )
    await page.getByRole('navigation').getByRole('link', { name: 'GCP setup' }).click()
    await heading('GCP setup').waitFor()
  })

  it('shows the provider pinning the organization, the binding, Terraform and gcloud naming the pool', async () => {
    await go('/gcp', 'GCP setup')
    await page.getByText(org.issuer, { exact: true }).first().waitFor()
    await page.getByText(`gcp:${org.id}`, { exact: true }).first().waitFor()
    const providers = page.getByRole('table', { name: 'Workload identity providers' })
    const provider = `projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/${pool()}/providers/keyless`
    await providers.getByRole('cell', { name: provider, exact: true }).waitFor()
    await providers
      .getByRole('cell', { name: `assertion.organizationId == '${org.id}'`, exact: true })
      .waitFor()
    const bindings = page.getByRole('table', { name: 'Service account bindings' })
    await bindings.getByRole('cell', { name: gcp.serviceAccount, exact: true }).waitFor()
    await bindings.getByRole('cell', { name: 'roles/iam.workloadIdentityUser' }).waitFor()
    expect(await bindings.textContent()).toContain(
      `workloadIdentityPools/${pool()}/attribute.organization/${org.id}`,
    )
    expect(await page.getByTestId('gcp-too-long').count()).toBe(0)
    await expect
      .poll(() => code().textContent())
      .toContain('resource "google_iam_workload_identity_pool_provider"')
    const tf = (await code().textContent()) ?? ''
    expect(tf).toMatch(new RegExp(`workload_identity_pool_id\\s+=\\s+"${pool()}"`, 'u'))
    expect(tf).toMatch(/workload_identity_pool_provider_id\s+=\s+"keyless"/u)
    await page.getByRole('tab', { name: 'gcloud' }).click()
    await expect
      .poll(() => code().textContent())
      .toContain('gcloud iam workload-identity-pools providers create-oidc')
    expect(await code().textContent()).toContain(gcp.serviceAccount)
    await screenshots(page, '24-gcp-setup')
  })

  it('explains a deployment Google refuses by its attribute condition; a GCP card, no AWS role', async () => {
    const id = await deploy(stack, env)
    refused = id
    const d = await waitStatus(stack, id)
    expect(d.status).toBe('failed')
    await go(`/deployments/${id}`, /Deployment/u)
    const alert = page.getByRole('alert').filter({ hasText: 'This deployment failed' })
    await alert.getByText('Google refused its token.').waitFor()
    await alert.getByText('gcp_exchange_failed').waitFor()
    const why = alert.getByRole('list', { name: 'Why Google refused' })
    await expect.poll(() => why.textContent()).toContain('org_someone_else')
    expect(await why.textContent()).toMatch(/condition/iu)
    expect(await alert.getByTestId('failure-verdict').textContent()).toBe(
      "What did not hold: unauthorized_client: condition assertion.organizationId == 'org_someone_else': the condition is false",
    )
    const card = page.getByRole('region', { name: 'GCP service account' })
    await card.getByText(gcp.serviceAccount, { exact: true }).waitFor()
    await card.getByText(`${pool()} / keyless`).waitFor()
    await card.getByText('The credential this deployment ran with.').waitFor()
    expect(await page.getByRole('heading', { name: 'AWS role' }).count()).toBe(0)
    expect(await page.getByRole('heading', { name: 'Azure app' }).count()).toBe(0)
    await screenshots(page, '25-deployment-gcp-refused')
  })

  it('previews the token per cloud the project has a credential for', async () => {
    await go(`/environments/${env.environmentId}`, /^e\d+$/u)
    const preview = page.getByRole('region', { name: 'Next token (preview)' })
    const claim = (name: string) =>
      preview.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) })
    // GCP only: no tabs, the GCP token and its service account
    await expect.poll(() => claim('aud').textContent()).toContain(`gcp:${org.id}`)
    expect(await preview.getByRole('tab').count()).toBe(0)
    await preview.getByText(gcp.serviceAccount, { exact: true }).waitFor()
    expect(await preview.getByText('Access token lifetime').count()).toBe(1)
    // with an AWS credential too: a tab per cloud
    const aws = await stack.api('POST', `/api/v1/organizations/${org.id}/credentials`, {
      type: 'aws-oidc',
      name: 'aws too',
      roleArn: ROLE,
    })
    await stack.api('PUT', `/api/v1/projects/${env.projectId}/credentials/${aws.id}`)
    await page.reload()
    await preview.getByRole('tab', { name: 'GCP token' }).waitFor()
    await preview.getByRole('tab', { name: 'AWS token' }).click()
    await preview.getByText(ROLE, { exact: true }).waitFor()
    await expect.poll(() => claim('aud').textContent()).not.toContain(`gcp:${org.id}`)
    await preview.getByRole('tab', { name: 'GCP token' }).click()
    await expect.poll(() => claim('aud').textContent()).toContain(`gcp:${org.id}`)
    await screenshots(page, '26-environment-token-per-cloud')
  })

  it('lints a pasted provider: no attribute condition is GCP01, naming the provider; garbage is a field error', async () => {
    await go('/gcp', 'GCP setup')
    const form = page.getByRole('form', { name: 'Lint a provider' })
    const name = `projects/${GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/open/providers/keyless`
    await form.getByLabel('Provider or IAM policy (JSON)').fill(
      JSON.stringify({
        name,
        oidc: { issuerUri: org.issuer, allowedAudiences: [`gcp:${org.id}`] },
        attributeMapping: { 'google.subject': 'assertion.sub' },
      }),
    )
    await form.getByRole('button', { name: 'Lint' }).click()
    const findings = page.getByTestId('lint-findings')
    const gcp01 = findings.locator('li').filter({ hasText: 'GCP01' })
    await gcp01.getByText(name, { exact: true }).waitFor()
    await gcp01.getByText('attributeCondition', { exact: true }).waitFor()
    expect(await findings.textContent()).not.toContain('GCP04')
    await screenshots(page, '27-gcp-provider-lint')
    browser.expectHttpErrors(400)
    await form.getByLabel('Provider or IAM policy (JSON)').fill('not json')
    await form.getByRole('button', { name: 'Lint' }).click()
    await expect
      .poll(() => form.getByLabel('Provider or IAM policy (JSON)').getAttribute('aria-invalid'))
      .toBe('true')
    expect(await findings.count()).toBe(0)
  })

  it('a subject over 127 bytes: the warning with the template that fits, nothing to generate', async () => {
    await stack.api('PATCH', `/api/v1/credentials/${gcp.credentialId}`, {
      subjectTemplate: LONG_TEMPLATE,
    })
    await go('/gcp', 'GCP setup')
    const warning = page.getByTestId('gcp-too-long')
    await warning.getByText(/Google keeps at most 127 bytes of google\.subject/u).waitFor()
    expect(await warning.textContent()).toMatch(/is 1[3-9]\d bytes under the template/u)
    await warning
      .getByText(
        'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}',
        { exact: true },
      )
      .waitFor()
    await page.getByText('Nothing to generate until every subject fits').waitFor()
    await screenshots(page, '28-gcp-setup-too-long')
  })

  /** Creates a GCP credential (GCP_OTHER) acting as `account` and assigns it to the project. */
  async function assignGcp(orgId: string, projectId: string, name: string, account: string) {
    const c = await stack.api('POST', `/api/v1/organizations/${orgId}/credentials`, {
      ...GCP_OTHER,
      name,
      serviceAccountEmail: account,
    })
    await stack.api('PUT', `/api/v1/projects/${projectId}/credentials/${c.id}`)
  }

  it('shows the GCP credential a deployment ran with after the project’s is reassigned', async () => {
    const other = 'other@acme-prod.iam.gserviceaccount.com'
    await assignGcp(org.id, env.projectId, 'gcp reassigned', other)
    const d = await stack.api('GET', `/api/v1/deployments/${refused}`)
    expect(d.gcpCredentialId).toBe(gcp.credentialId)
    await go(`/deployments/${refused}`, /Deployment/u)
    const card = page.getByRole('region', { name: 'GCP service account' })
    const note = card.getByTestId('credential-note')
    await expect.poll(() => note.textContent()).toContain('no longer assigned to the project')
    expect(await note.textContent()).toContain(gcp.credentialId)
    // What the credential was, from the organization's list: not the project's new one.
    await card.getByText(gcp.serviceAccount, { exact: true }).waitFor()
    expect(await card.getByText(other).count()).toBe(0)
    expect(await page.getByRole('region', { name: 'GCP service account' }).count()).toBe(1)
    await screenshots(page, '29-deployment-gcp-reassigned')
  })

  it('a queued deployment shows the project’s GCP credential as the one it will use', async () => {
    // An organization without an agent: its deployment stays queued.
    const idle = await createOrg(stack, 'gcp-console-queued')
    const queuedEnv = await createEnv(stack, idle, {
      steps: [{ name: 'never', run: 'echo never' }],
      credential: null,
    })
    const account = 'queued@acme-prod.iam.gserviceaccount.com'
    await assignGcp(idle.id, queuedEnv.projectId, 'gcp queued', account)
    const id = await deploy(stack, queuedEnv)
    await page.goto(`${stack.serverUrl}/orgs/${idle.id}/deployments/${id}`)
    await heading(/Deployment/u).waitFor()
    expect(await page.getByTestId('deployment-status').textContent()).toBe('queued')
    const card = page.getByRole('region', { name: 'GCP service account' })
    await card.getByText(account, { exact: true }).waitFor()
    await card.getByText('The project’s credential, which this deployment will use.').waitFor()
  })
})
