/**
 * The console for Azure and GCP against real processes (keyless server, keyless emulator with its
 * Entra emulator, keyless agent): the credential form's three clouds with the API's field errors,
 * the Azure setup page (issuer, audience, subject per environment, FICs needed, Terraform and az
 * CLI), a deployment that Entra refuses explained on the deployment page (the federated credential
 * that came closest), and — after `keyless setup azure --apply` — the same environment succeeding.
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
  },
)
