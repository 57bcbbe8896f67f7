import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Page } from 'playwright-core'
import { join } from 'node:path'
import { REPO_ROOT } from '../support/cli.js'
import {
  buildConsole,
  launchBrowser,
  runBrowserSuite,
  screenshots,
  startAgent,
  startControlPlane,
  startEmulator,
  type Browser,
  type ControlPlane,
  type Emulator,
  type RunningProcess,
} from './harness.js'

/** A step that calls GetCallerIdentity with the injected credentials (as `keyless up --demo`). */
const WHOAMI = `"${process.execPath}" --import "${import.meta.resolve('tsx')}" "${join(REPO_ROOT, 'src', 'runner', 'aws-whoami.ts')}"`

/**
 * The console against the real control plane (issue 7 point 9): sign in, create the objects,
 * create and assign a credential, read the OIDC setup, deploy, lint a bad policy in the
 * playground, browse the audit log — with screenshots of each page at 1280 and 390 px and no
 * console errors.
 */
describe.skipIf(!runBrowserSuite)('web console (chromium)', () => {
  let cp: ControlPlane
  let emulator: Emulator
  let agent: RunningProcess | undefined
  let browser: Browser
  let page: Page
  const ids = { org: '', project: '', environment: '', deployment: '' }
  const after = (marker: string): string => page.url().split(marker)[1] ?? ''

  beforeAll(async () => {
    // a shared 2-core machine runs other suites meanwhile: give the UI time, never a fixed sleep
    vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 100 } } })
    buildConsole()
    ;[cp, emulator] = await Promise.all([startControlPlane(), startEmulator()])
    browser = await launchBrowser()
    page = browser.page
    page.setDefaultTimeout(15_000)
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await agent?.stop()
    await emulator?.stop()
    await cp?.stop()
  })

  afterEach(() => {
    expect(browser.errors()).toEqual([])
  })

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name })
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name, exact: true })

  it('signs in with an API key kept in session storage, never in the URL', async () => {
    await page.goto(`${cp.url}/`)
    await heading('Sign in').waitFor()
    await screenshots(page, '01-sign-in')
    browser.expectHttpErrors(401)
    await page.getByLabel('API key').fill('kl_not_a_real_key')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('This API key was not accepted').waitFor()
    await page.getByLabel('API key').fill(cp.adminKey)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await heading('Organizations').waitFor()
    expect(page.url()).not.toContain(cp.adminKey)
    expect(await page.evaluate('sessionStorage.getItem("keyless.apiKey")')).toBe(cp.adminKey)
    expect(await page.content()).not.toContain(cp.adminKey)
  })

  it('creates an organization, a template, a project and an environment, showing field errors', async () => {
    await page.getByText('No organization yet').waitFor()
    await screenshots(page, '02-organizations')
    browser.expectHttpErrors(400)
    await page.getByRole('button', { name: 'Create organization' }).click()
    await page.locator('.field-error').first().waitFor()
    await page.getByLabel('Name').fill('Acme')
    await page.getByRole('button', { name: 'Create organization' }).click()
    await heading('Acme').waitFor()
    ids.org = after('/orgs/')
    // an agent token, created in the console and shown once
    await nav('Agents & API keys').click()
    await heading('Agents & API keys').waitFor()
    await page.getByText('No agent tokens yet').waitFor()
    await page.getByLabel('Agent name').fill('console-test-agent')
    await page.getByRole('button', { name: 'Create agent token' }).click()
    const shown = page.getByRole('status').filter({ hasText: 'shown only once' }).locator('code')
    const token = (await shown.textContent()) ?? ''
    expect(token.length).toBeGreaterThan(20)
    agent = startAgent(cp.url, token)
    await page.getByRole('cell', { name: 'console-test-agent', exact: true }).waitFor()
    // an API key for a teammate, revoked after a confirmation
    await page.getByLabel('Email of the person').fill('viewer@example.com')
    await page.getByLabel('Role').selectOption('viewer')
    await page.getByRole('button', { name: 'Create API key' }).click()
    await page
      .getByRole('cell', { name: /viewer@example\.com/u })
      .first()
      .waitFor()
    await screenshots(page, '13-agents-and-keys')
    await page.getByRole('button', { name: 'Revoke viewer@example.com' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click()
    await page.getByText('revoked', { exact: true }).waitFor()
    await nav('Projects').click()
    await page.getByText('No projects yet').waitFor()

    await nav('Templates').click()
    await heading('Templates').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('hello')
    await page.getByLabel('Step 1 name').fill('hello')
    await page.getByLabel('Step 1 command').fill('echo hello from keyless')
    await page.getByRole('button', { name: 'Add step' }).click()
    await page.getByLabel('Step 2 name').fill('whoami')
    await page.getByLabel('Step 2 command').fill(WHOAMI)
    await page.getByRole('button', { name: 'Create template' }).click()
    await page.getByRole('cell', { name: 'hello', exact: true }).waitFor()
    await screenshots(page, '03-templates')

    await nav('Projects').click()
    await heading('Acme').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('payments')
    await page.getByRole('button', { name: 'Create project' }).click()
    await heading('payments').waitFor()
    ids.project = after('/projects/')
    await page.getByText('No environments yet').waitFor()
    await screenshots(page, '04-project')
    await page.getByLabel('Name', { exact: true }).first().fill('production')
    await page.getByRole('button', { name: 'Create environment' }).click()
    await heading('production').waitFor()
    ids.environment = after('/environments/')
    await page.getByText('Nothing deployed yet').waitFor()
    await page.getByRole('heading', { name: 'Next token (preview)' }).waitFor()
    await page.getByRole('rowheader', { name: 'sub', exact: true }).waitFor()
    // variables: a plain one is shown, a sensitive one is write-only
    await page.getByLabel('Variable name').fill('GREETING')
    await page.getByLabel('Value', { exact: true }).fill('hello')
    await page.getByRole('button', { name: 'Set variable' }).click()
    await page.getByRole('cell', { name: 'GREETING', exact: true }).waitFor()
    await page.getByLabel('Variable name').fill('DEPLOY_SECRET')
    await page.getByRole('switch', { name: 'Sensitive' }).check()
    await page.getByLabel('Value', { exact: true }).fill('s3cr3t-value')
    await page.getByRole('button', { name: 'Set variable' }).click()
    await page.getByRole('cell', { name: 'DEPLOY_SECRET', exact: true }).waitFor()
    await page.getByText('sensitive (write-only)').waitFor()
    expect(await page.locator('main').textContent()).not.toContain('s3cr3t-value')
    await screenshots(page, '05-environment')
  })

  it('creates an AWS OIDC credential, shows the API’s validation message, assigns it to a project', async () => {
    const oidc = await cp.api<{ issuer: string; audience: string }>(
      'GET',
      `/organizations/${ids.org}/oidc`,
    )
    const setup = await cp.api<{ trustPolicy: unknown }>(
      'GET',
      `/organizations/${ids.org}/setup?format=json&roleName=keyless-deployer`,
    )
    const trustPolicy = JSON.parse(
      JSON.stringify(setup.trustPolicy).replaceAll('${ACCOUNT_ID}', '123456789012'),
    )
    await emulator.createRole(oidc.issuer, oidc.audience, 'keyless-deployer', trustPolicy, 7200)
    await nav('Credentials').click()
    await heading('Deployment credentials').waitFor()
    await page.getByText('No credentials yet').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('production AWS')
    await page
      .getByLabel('Role ARN', { exact: true })
      .fill('arn:aws:iam::123456789012:user/not-a-role')
    await expect.poll(() => page.getByText('does not look like an IAM role ARN').count()).toBe(1)
    await page.getByLabel('Duration (seconds)').fill('7200')
    await page.getByText('above AWS’s default MaxSessionDuration').waitFor()
    await page.getByLabel('STS endpoint').fill(emulator.url)
    browser.expectHttpErrors(400)
    await page.getByRole('button', { name: 'Create credential' }).click()
    const roleField = page.getByLabel('Role ARN', { exact: true })
    await expect.poll(() => roleField.getAttribute('aria-invalid')).toBe('true')
    await page
      .getByLabel('Role ARN', { exact: true })
      .fill('arn:aws:iam::123456789012:role/keyless-deployer')
    await page.getByRole('button', { name: 'Create credential' }).click()
    await page.getByRole('heading', { name: 'production AWS', level: 3 }).waitFor()
    await page.getByRole('button', { name: 'Assign' }).click()
    await expect
      .poll(() => page.getByTestId('assigned-projects').textContent())
      .toContain('payments')
    await screenshots(page, '06-credentials')
  })

  it('shows the OIDC setup with copyable values, generated snippets and the stop-minting switch', async () => {
    await nav('OIDC & AWS setup').click()
    await heading('OIDC & AWS setup').waitFor()
    const oidc = await cp.api<{ issuer: string; audience: string; conditionKeyPrefix: string }>(
      'GET',
      `/organizations/${ids.org}/oidc`,
    )
    await page.getByText(oidc.audience, { exact: true }).first().waitFor()
    await page.getByText(oidc.issuer, { exact: true }).first().waitFor()
    // live example subject
    await page
      .getByRole('textbox', { name: 'Subject template' })
      .fill('org:{organizationId}:env:{environmentId}')
    await page.locator('.live-example').getByText(`org:${ids.org}:env:${ids.environment}`).waitFor()
    await page
      .getByRole('textbox', { name: 'Subject template' })
      .fill(
        'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}',
      )
    // change the subject template (confirmed): both subjects are shown and accepted by the setup
    const subjectField = page.getByRole('textbox', { name: 'Subject template' })
    await subjectField.fill(
      'org:{organizationId}:environment:{environmentId}:type:{deploymentType}',
    )
    await page.getByRole('button', { name: 'Change subject template' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Change template' }).click()
    await page.getByTestId('subject-migration').waitFor()
    const dual = page.locator('#setup-panel pre')
    await expect.poll(() => dual.textContent()).toContain(`org:${ids.org}:environment:*:type:*`)
    expect(await dual.textContent()).toContain(`org:${ids.org}:project:*:environment:*:type:*`)
    // and back to the default, so the role created for the deployments keeps matching
    await page
      .getByRole('textbox', { name: 'Subject template' })
      .fill(
        'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}',
      )
    await page.getByRole('button', { name: 'Change subject template' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Change template' }).click()
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Subject template' }).inputValue())
      .toBe(
        'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}',
      )
    await page.getByRole('tab', { name: 'Terraform' }).click()
    await page.locator('#setup-panel pre').waitFor()
    await screenshots(page, '07-oidc')
    // stop minting, with confirmation
    await page.getByRole('switch', { name: 'Token minting' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Stop minting' }).click()
    await page.getByRole('alert').filter({ hasText: 'Minting is stopped.' }).waitFor()
    await page.getByRole('switch', { name: 'Token minting' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Resume minting' }).click()
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Minting is stopped.' }).count())
      .toBe(0)
  })

  it('deploys from an environment and watches the live log finish, with the role and the token claims', async () => {
    await page.goto(`${cp.url}/orgs/${ids.org}/environments/${ids.environment}`)
    await heading('production').waitFor()
    await page.getByRole('button', { name: 'Deploy', exact: true }).click()
    await heading(/^Deployment /).waitFor()
    ids.deployment = after('/deployments/')
    await page
      .locator('[data-testid="log-status"][data-phase="ended"]')
      .waitFor({ timeout: 60_000 })
    const log = page.getByTestId('deployment-log')
    await log.getByText('hello from keyless').waitFor()
    await log
      .getByText(/caller identity: arn:aws:sts::123456789012:assumed-role\/keyless-deployer\//u)
      .waitFor()
    await expect.poll(() => page.getByTestId('deployment-status').textContent()).toBe('succeeded')
    await page
      .getByText(`arn:aws:sts::123456789012:assumed-role/keyless-deployer/${ids.deployment}`)
      .first()
      .waitFor()
    await page.getByRole('rowheader', { name: 'sub', exact: true }).waitFor()
    expect(await page.locator('main').textContent()).not.toMatch(/eyJ[\w-]{10,}\.eyJ/u)
    await screenshots(page, '08-deployment')

    await nav('Deployments').click()
    await heading('Deployments').waitFor()
    await page.getByRole('link', { name: ids.deployment.slice(0, 12) }).waitFor()
    await page.getByLabel('Environment').selectOption({ label: 'payments / production' })
    await page.getByRole('link', { name: ids.deployment.slice(0, 12) }).waitFor()
    await screenshots(page, '09-deployments')
  }, 90_000)

  it('shows why a deployment failed when the role does not trust it (environment role override)', async () => {
    const oidc = await cp.api<{ issuer: string; audience: string; conditionKeyPrefix: string }>(
      'GET',
      `/organizations/${ids.org}/oidc`,
    )
    const p = oidc.conditionKeyPrefix
    const denied = await emulator.createRole(oidc.issuer, oidc.audience, 'keyless-other-team', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${p}` },
          Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              [`${p}:aud`]: oidc.audience,
              [`${p}:sub`]: 'org:another-org:project:x:environment:y:type:deploy',
            },
          },
        },
      ],
    })
    await page.goto(`${cp.url}/orgs/${ids.org}/environments/${ids.environment}`)
    await heading('production').waitFor()
    await page.getByLabel('Role ARN for this environment').fill(denied)
    await page.getByRole('button', { name: 'Save override' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
    await page.getByRole('button', { name: 'Deploy', exact: true }).click()
    await heading(/^Deployment /).waitFor()
    await page
      .locator('[data-testid="log-status"][data-phase="ended"]')
      .waitFor({ timeout: 60_000 })
    await expect.poll(() => page.getByTestId('deployment-status').textContent()).toBe('failed')
    await page.getByRole('alert').filter({ hasText: 'This deployment failed.' }).waitFor()
    await page.getByText(denied).first().waitFor()
    // the explanation as a table: the unmet sub row, its differing part marked on both sides
    const conditions = page.getByRole('table', {
      name: 'Trust-policy conditions of the denied exchange',
    })
    const failing = conditions.locator('tr[data-result="fail"]').filter({ hasText: `${p}:sub` })
    await failing.first().waitFor()
    expect(await failing.first().getByText('✗ not met').count()).toBe(1)
    const marks = await failing.first().locator('mark.diff').allTextContents()
    expect(marks).toHaveLength(2)
    expect(marks[1]).toContain('another-org')
    expect(marks[0]).toContain(ids.org.replace(/^org_/u, ''))
    await conditions
      .locator('tr[data-result="pass"]')
      .filter({ hasText: `${p}:aud` })
      .first()
      .waitFor()
    await screenshots(page, '12-deployment-failed')
    // put the environment back on the credential's role
    await page.goto(`${cp.url}/orgs/${ids.org}/environments/${ids.environment}`)
    await page.getByLabel('Role ARN for this environment').fill('')
    await page.getByRole('button', { name: 'Save override' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
  }, 90_000)

  it('lints a bad trust policy in the playground and shows the failing condition', async () => {
    await nav('Trust playground').click()
    await heading('Trust-policy playground').waitFor()
    const oidc = await cp.api<{ issuer: string; audience: string; conditionKeyPrefix: string }>(
      'GET',
      `/organizations/${ids.org}/oidc`,
    )
    const prefix = oidc.conditionKeyPrefix
    const bad = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${prefix}` },
          Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
          Condition: {
            StringEquals: { [`${prefix}:aud`]: oidc.audience },
            StringLike: { [`${prefix}:sub`]: 'org:someone-else:*' },
          },
        },
      ],
    }
    await page.getByLabel('Trust policy (JSON)').fill(JSON.stringify(bad, null, 2))
    await page.getByRole('button', { name: 'Analyze' }).click()
    await page.getByRole('heading', { name: 'Lint findings' }).waitFor()
    await page.getByRole('heading', { name: 'What AWS would answer' }).waitFor()
    await page.getByTestId('explain-decision').getByText('Denied.').waitFor()
    await page.locator('tr[data-result="fail"]').getByText(`${prefix}:sub`).first().waitFor()
    await screenshots(page, '10-playground')
  })

  it('browses the audit log with paging and a filter', async () => {
    await nav('Audit log').click()
    await heading('Audit log').waitFor()
    await page.getByRole('cell', { name: 'token.minted', exact: false }).first().waitFor()
    // the actor in full: which agent minted, which key queued; the column is not clipped
    const minted = page
      .locator('table.audit tbody tr')
      .filter({ has: page.locator('code', { hasText: /^token\.minted$/u }) })
      .first()
    expect(await minted.getByTestId('audit-actor').textContent()).toBe('agent console-test-agent')
    const queued = page.locator('table.audit tbody tr').filter({ hasText: 'deployment.created' })
    expect(await queued.first().getByTestId('audit-actor').textContent()).toMatch(/@/u)
    const overflow = await page
      .locator('table.audit')
      .evaluate((t) => t.scrollWidth - (t.parentElement?.clientWidth ?? 0))
    expect(overflow).toBeLessThanOrEqual(0)
    await screenshots(page, '11-audit')
    // paging: 20 events a page, newest first, back to the organization's creation
    const rows = page.locator('table.audit tbody tr')
    const firstPage = await rows.allTextContents()
    expect(firstPage).toHaveLength(20)
    const next = page.getByRole('button', { name: 'Next page' })
    await next.click()
    await expect.poll(async () => (await rows.allTextContents())[0]).not.toBe(firstPage[0])
    while ((await page.getByRole('cell', { name: 'organization.created' }).count()) === 0) {
      expect(await next.isEnabled()).toBe(true)
      const top = (await rows.allTextContents())[0]
      await next.click()
      await expect.poll(async () => (await rows.allTextContents())[0]).not.toBe(top)
    }
    await page.getByRole('button', { name: 'First page' }).click()
    await expect.poll(async () => (await rows.allTextContents())[0]).toBe(firstPage[0])
    // filter by event
    await page.getByRole('combobox', { name: 'Event' }).selectOption('credential.assigned')
    await page.getByRole('cell', { name: 'credential.assigned' }).first().waitFor()
    await expect
      .poll(async () =>
        (
          await page.locator('table.audit tbody td[data-label="Event"] > code').allTextContents()
        ).every((t) => t === 'credential.assigned'),
      )
      .toBe(true)
  })

  it('works with the keyboard: skip link, focus on the heading, a dialog that Escape cancels', async () => {
    await page.goto(`${cp.url}/orgs/${ids.org}/oidc`)
    await heading('OIDC & AWS setup').waitFor()
    await expect.poll(() => page.evaluate('document.activeElement?.tagName')).toBe('H1')
    await page.getByRole('link', { name: 'Skip to content' }).focus()
    await page.keyboard.press('Tab')
    await expect
      .poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")'))
      .toBe('keyless home')
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('main')
    await page.getByRole('switch', { name: 'Token minting' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('dialog').waitFor()
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Cancel')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'Minting is stopped.' }).count())
      .toBe(0)
  })

  it('has a usable menu on a 390 px screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('button', { name: 'Menu' }).click()
    await nav('Credentials').click()
    await heading('Deployment credentials').waitFor()
    await page.setViewportSize({ width: 1280, height: 900 })
  })
})
