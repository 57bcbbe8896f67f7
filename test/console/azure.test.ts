/**
 * The console for Azure and GCP against real processes (keyless server, keyless emulator with its
 * Entra emulator, keyless agent): the credential form's three clouds with the API's field errors,
 * the Azure setup page (issuer, audience, subject per environment, FICs needed, Terraform and az
 * CLI), a deployment that Entra refuses explained on the deployment page (the federated credential
 * that came closest), and — after `keyless setup azure --apply` — the same environment succeeding;
 * once the project's Azure credential is reassigned, that deployment still names the one it ran with.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { graph } from '../e2e/support/azure-world.js'
import { startStack, type Json, type Stack } from '../e2e/support/stack.js'
import { createOrg, waitStatus, type Org } from '../e2e/support/world.js'
import { runTrustCli } from '../trust/cli-harness.js'
import {
  buildConsole,
  launchBrowser,
  runBrowserSuite,
  screenshots,
  type Browser,
} from './harness.js'

const TENANT = '8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10'
const SUBSCRIPTION = '99999999-8888-4777-8666-555555555555'

describe.skipIf(!runBrowserSuite)(
  'web console: Azure and GCP (chromium)',
  { timeout: 120_000 },
  () => {
    let stack: Stack
    let org: Org
    let browser: Browser
    let page: Page
    let app: Json
    const ids = { project: '', environment: '', deployment: '' }
    const subjectTemplate = 'org:{organizationId}:project:{projectId}:environment:{environmentId}'
    const subject = (): string =>
      `org:${org.id}:project:${ids.project}:environment:${ids.environment}`

    beforeAll(async () => {
      vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 100 } } })
      buildConsole()
      stack = await startStack()
      org = await createOrg(stack, 'azure-console')
      stack.startAgent(org.agentToken)
      ids.project = (
        await stack.api('POST', `/api/v1/organizations/${org.id}/projects`, { name: 'payments' })
      ).id
      const template = await stack.api('POST', `/api/v1/organizations/${org.id}/templates`, {
        name: 'hello',
        type: 'custom',
        steps: [{ name: 'hello', run: 'echo step-ran' }],
      })
      ids.environment = (
        await stack.api('POST', `/api/v1/projects/${ids.project}/environments`, {
          name: 'prod',
          templateId: template.id,
        })
      ).id
      // The application, with a federated credential whose subject differs in case (a typical mistake).
      app = await graph(stack, 'POST', '/v1.0/applications', { displayName: 'deployer' })
      await graph(stack, 'POST', `/v1.0/applications/${app.id}/federatedIdentityCredentials`, {
        name: 'hand-written',
        issuer: org.issuer,
        subject: subject().replace(':environment:', ':Environment:'),
        audiences: [`azure:${org.id}`],
      })
      browser = await launchBrowser()
      page = browser.page
      page.setDefaultTimeout(15_000)
      await page.goto(`${stack.serverUrl}/sign-in`)
      await page.getByLabel('API key').fill(stack.adminKey)
      await page.getByRole('button', { name: 'Sign in' }).click()
      // One organization: the console opens it.
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

    it('creates an Azure credential (field errors from the API) and assigns it', async () => {
      await go('/credentials', 'Deployment credentials')
      await page.getByRole('radio', { name: /^Azure/u }).check()
      await page.getByLabel('Name', { exact: true }).fill('production Azure')
      await page.getByLabel('Tenant ID').fill('contoso')
      await page.getByText('This does not look like a tenant id').waitFor()
      await page.getByLabel('Subscription ID').fill(SUBSCRIPTION)
      await page.getByLabel('Client ID', { exact: true }).fill(app.appId)
      await page.getByLabel('Authority host').fill(stack.azureUrl)
      browser.expectHttpErrors(400)
      await page.getByRole('button', { name: 'Create credential' }).click()
      await expect
        .poll(() => page.getByLabel('Tenant ID').getAttribute('aria-invalid'))
        .toBe('true')
      await page.getByLabel('Tenant ID').fill(TENANT)
      await page.getByRole('button', { name: 'Create credential' }).click()
      const card = page.locator('.cred-card').filter({ hasText: 'production Azure' })
      await card.getByRole('heading', { name: 'production Azure', level: 3 }).waitFor()
      await card.getByText('Azure OIDC').waitFor()
      await card.getByText(`azure:${org.id}`).waitFor()
      expect(await card.getByRole('link', { name: 'Azure setup' }).getAttribute('href')).toBe(
        `/orgs/${org.id}/azure`,
      )
      await card.getByRole('button', { name: 'Assign' }).click()
      await expect
        .poll(() => card.getByTestId('assigned-projects').textContent())
        .toContain('payments')
    })

    it('creates a GCP credential with the form', async () => {
      await page.getByRole('radio', { name: /^GCP/u }).check()
      await page.getByLabel('Name', { exact: true }).fill('production GCP')
      await page.getByLabel('Project number').fill('123456789012')
      await page.getByLabel('Project ID').fill('acme-prod')
      await page.getByLabel('Pool ID').fill('keyless')
      await page.getByLabel('Provider ID').fill('keyless-oidc')
      await page
        .getByRole('textbox', { name: /^Service account email/u })
        .fill('deployer@acme-prod.iam.gserviceaccount.com')
      await page.getByLabel('Access token lifetime (seconds)').fill('1800')
      await page.getByRole('button', { name: 'Create credential' }).click()
      const card = page.locator('.cred-card').filter({ hasText: 'production GCP' })
      await card.getByText('GCP OIDC').waitFor()
      await card.getByText('acme-prod (123456789012)').waitFor()
      await card.getByText('30 min').waitFor()
      await screenshots(page, '20-credentials-three-clouds')
    })

    it('warns before the API refuses: an http authority, costly subject templates, a long GCP lifetime', async () => {
      const field = (label: RegExp) => page.getByRole('textbox', { name: label })
      await page.getByRole('radio', { name: /^Azure/u }).check()
      await field(/^Authority host/u).fill('http://127.0.0.1:1')
      await page.getByText('Azure clients refuse an http authority: use https.').waitFor()
      await field(/^Subject template/u).fill(`${subjectTemplate}:type:{deploymentType}`)
      await page
        .getByText(/\{deploymentType\} \(deploy, destroy, plan and task\) multiplies/u)
        .waitFor()
      await field(/^Subject template/u).fill('org:{organizationId}:deployment:{deploymentId}')
      await page.getByText('no federated credential can match it').waitFor()
      await field(/^Audience/u).fill('a'.repeat(601))
      await page.getByText('Entra keeps at most 600 characters of an audience').waitFor()
      await page.getByRole('radio', { name: /^GCP/u }).check()
      await page.getByLabel('Access token lifetime (seconds)').fill('7200')
      await page.getByText('2 h is above Google’s 1 h').waitFor()
      await page.getByLabel('Name', { exact: true }).fill('reserved GCP')
      await page.getByLabel('Project number').fill('123456789012')
      await page.getByLabel('Project ID').fill('acme-prod')
      await page.getByLabel('Pool ID').fill('gcp-pool')
      await page.getByLabel('Provider ID').fill('keyless-oidc')
      browser.expectHttpErrors(400)
      await page.getByRole('button', { name: 'Create credential' }).click()
      await page.locator('.field-error').getByText('must not start with gcp- (reserved)').waitFor()
      expect(await page.getByLabel('Pool ID').getAttribute('aria-invalid')).toBe('true')
    })

    it('shows the Azure setup: issuer, audience, subject per environment, FICs, Terraform and az', async () => {
      await go('/azure', 'Azure setup')
      await page.getByText(org.issuer, { exact: true }).first().waitFor()
      await page.getByText(`azure:${org.id}`, { exact: true }).first().waitFor()
      const subjects = page.getByRole('table', { name: 'Subjects per environment' })
      await subjects.getByRole('cell', { name: subject(), exact: true }).waitFor()
      await subjects.getByRole('cell', { name: 'payments / prod' }).waitFor()
      await page
        .getByRole('heading', {
          level: 3,
          name: new RegExp(`Application ${app.appId}: 1 of 20`, 'u'),
        })
        .waitFor()
      const code = page.getByRole('tabpanel').locator('pre')
      await expect
        .poll(() => code.textContent())
        .toContain('resource "azuread_application_federated_identity_credential"')
      expect(await code.textContent()).toContain(`subject        = "${subject()}"`)
      await page.getByRole('tab', { name: 'az CLI' }).click()
      await expect
        .poll(() => code.textContent())
        .toContain(`az ad app federated-credential create --id '${app.appId}'`)
      await screenshots(page, '21-azure-setup')
    })

    it('explains a deployment Entra refuses: the federated credential that came closest', async () => {
      const d = await stack.api('POST', `/api/v1/environments/${ids.environment}/deployments`, {
        type: 'deploy',
      })
      ids.deployment = d.id
      expect((await waitStatus(stack, d.id)).status).toBe('failed')
      await go(`/deployments/${d.id}`, /Deployment/u)
      const alert = page.getByRole('alert').filter({ hasText: 'This deployment failed' })
      await alert.getByText('Entra ID refused its token.').waitFor()
      await alert.getByText('azure_exchange_failed').waitFor()
      const why = alert.getByRole('list', { name: 'Why Entra ID refused' })
      await expect.poll(() => why.textContent()).toContain('hand-written')
      expect(await why.textContent()).toMatch(/subject/u)
      expect(await why.textContent()).toMatch(/case/u)
      // the same as a table: the one differing field, its differing part marked on both sides
      const closest = alert.getByRole('table', {
        name: 'Closest federated credential: hand-written',
      })
      const row = closest.locator('tr[data-field]')
      expect(await row.count()).toBe(1)
      expect(await row.getAttribute('data-field')).toBe('subject')
      await row.getByText('they differ only in case').waitFor()
      expect(await row.locator('mark.diff').allTextContents()).toEqual(['E', 'e'])
      // an Azure-only deployment has no AWS role to show
      expect(await page.getByRole('heading', { name: 'AWS role' }).count()).toBe(0)
      // but the Azure application it signs in as
      await page
        .getByRole('region', { name: 'Azure app' })
        .getByText(app.appId, { exact: true })
        .waitFor()
      await screenshots(page, '22-deployment-azure-refused')
    })

    it('after setup azure --apply, the environment deploys', async () => {
      const r = await runTrustCli([
        'setup',
        'azure',
        '--organization',
        org.id,
        '--server',
        stack.serverUrl,
        '--api-key',
        stack.adminKey,
        '--apply',
        '--endpoint-url',
        stack.azureUrl,
        '--ca-file',
        stack.emulatorCaFile,
        '--admin-token',
        'test',
      ])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain(
        `created keyless-project-${ids.project}-environment-${ids.environment}`,
      )
      const d = await stack.api('POST', `/api/v1/environments/${ids.environment}/deployments`, {
        type: 'deploy',
      })
      expect((await waitStatus(stack, d.id)).status).toBe('succeeded')
      await go(`/deployments/${d.id}`, /Deployment/u)
      await page.getByText('succeeded').first().waitFor()
    })

    it('an application over 20: the reason, and the template that fits set in one confirmed click', async () => {
      const fleet = await stack.api('POST', `/api/v1/organizations/${org.id}/projects`, {
        name: 'fleet',
      })
      const template = await stack.api('POST', `/api/v1/organizations/${org.id}/templates`, {
        name: 'edge',
        type: 'custom',
        steps: [{ name: 'edge', run: 'echo edge' }],
      })
      for (let i = 1; i <= 21; i++)
        await stack.api('POST', `/api/v1/projects/${fleet.id}/environments`, {
          name: `edge-${i}`,
          templateId: template.id,
        })
      const fleetApp = await graph(stack, 'POST', '/v1.0/applications', { displayName: 'fleet' })
      const credential = await stack.api('POST', `/api/v1/organizations/${org.id}/credentials`, {
        type: 'azure-oidc',
        name: 'fleet Azure',
        tenantId: TENANT,
        clientId: fleetApp.appId,
        subscriptionId: SUBSCRIPTION,
        authorityHost: stack.azureUrl,
      })
      await stack.api('PUT', `/api/v1/projects/${fleet.id}/credentials/${credential.id}`)
      await go('/azure', 'Azure setup')
      const over = page.getByTestId('azure-over-limit')
      await over.getByText(/needs 21 federated identity credentials \(21 environments\)/u).waitFor()
      await page.getByText('Nothing to generate until every application fits').waitFor()
      const count = (appId: string) =>
        page.getByRole('heading', { level: 3, name: new RegExp(`Application ${appId}: `, 'u') })
      await expect.poll(() => count(fleetApp.appId).textContent()).toMatch(/: 21 of 20$/u)
      await screenshots(page, '23-azure-setup-over-limit')
      await over.getByRole('button', { name: 'Set the template that fits on fleet Azure' }).click()
      await page.getByRole('dialog').getByRole('button', { name: 'Change template' }).click()
      await expect.poll(() => count(fleetApp.appId).textContent()).toMatch(/: 1 of 20$/u)
      expect(await over.count()).toBe(0)
      const after = await stack.api('GET', `/api/v1/organizations/${org.id}/credentials`)
      expect(after.items.find((c: Json) => c.id === credential.id)?.subjectTemplate).toBe(
        'org:{organizationId}:project:{projectId}',
      )
      const code = page.getByRole('tabpanel').locator('pre')
      await expect
        .poll(() => code.textContent())
        .toContain('azuread_application_federated_identity_credential')
    })

    it('shows the Azure credential a deployment ran with after the project’s is reassigned', async () => {
      const all = await stack.api('GET', `/api/v1/organizations/${org.id}/credentials`)
      const ran = all.items.find((c: Json) => c.name === 'production Azure')
      const d = await stack.api('GET', `/api/v1/deployments/${ids.deployment}`)
      expect(d.azureCredentialId).toBe(ran.id)
      const replacement = await graph(stack, 'POST', '/v1.0/applications', {
        displayName: 'replacement',
      })
      const next = await stack.api('POST', `/api/v1/organizations/${org.id}/credentials`, {
        type: 'azure-oidc',
        name: 'replacement Azure',
        tenantId: TENANT,
        clientId: replacement.appId,
        subscriptionId: SUBSCRIPTION,
        authorityHost: stack.azureUrl,
      })
      await stack.api('PUT', `/api/v1/projects/${ids.project}/credentials/${next.id}`)
      await go(`/deployments/${ids.deployment}`, /Deployment/u)
      const card = page.getByRole('region', { name: 'Azure app' })
      const note = card.getByTestId('credential-note')
      await expect.poll(() => note.textContent()).toContain('no longer assigned to the project')
      expect(await note.textContent()).toContain(ran.id)
      // What the credential was, from the organization's list: not the project's new one.
      await card.getByText(ran.clientId as string, { exact: true }).waitFor()
      expect(await card.getByText(replacement.appId).count()).toBe(0)
      expect(await page.getByRole('region', { name: 'Azure app' }).count()).toBe(1)
    })
  },
)
