import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Page } from 'playwright-core'
import {
  buildConsole,
  launchBrowser,
  runBrowserSuite,
  screenshots,
  startControlPlane,
  type Browser,
  type ControlPlane,
} from './harness.js'

/** A Terraform state document as Terraform writes it (outputs and resources only). */
function tfState(serial: number, greeting: string, resources: readonly string[]): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.0',
    serial,
    lineage: 'console-lineage',
    outputs: {
      greeting: { value: greeting, type: 'string' },
      token: { value: SECRET, type: 'string', sensitive: true },
    },
    resources: resources.map((name) => ({
      mode: 'managed',
      type: 'terraform_data',
      name,
      provider: 'provider["terraform.io/builtin/terraform"]',
      instances: [{ schema_version: 0, attributes: { id: name } }],
    })),
  })
}

const SECRET = 'distinctive-sensitive-output-7f3a'

/**
 * The State tab of an environment (issue 12 point 8) against the real control plane: a
 * deployment claimed through the agent API writes two state versions and locks the state
 * through the backend protocol, then the console shows versions (who, when, serial), outputs
 * (the sensitive one masked), resources and the lock holder; force-unlock and restore go through
 * a confirmation, and a refused restore says why.
 */
describe.skipIf(!runBrowserSuite)('environment State tab (chromium)', () => {
  let cp: ControlPlane
  let browser: Browser
  let page: Page
  const ids = { org: '', environment: '', deployment: '' }
  let agentToken = ''
  let password = ''

  const agent = async (path: string, body: unknown): Promise<Response> =>
    fetch(`${cp.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const backend = async (method: string, path: string, body: string): Promise<number> => {
    const res = await fetch(`${cp.url}/api/v1/environments/${ids.environment}/state${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`keyless:${password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body,
    })
    await res.text()
    return res.status
  }

  beforeAll(async () => {
    vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 100 } } })
    buildConsole()
    cp = await startControlPlane()
    browser = await launchBrowser()
    page = browser.page
    page.setDefaultTimeout(15_000)
    const org = await cp.api<{ id: string }>('POST', '/organizations', { name: 'State Co' })
    ids.org = org.id
    const template = await cp.api<{ id: string }>('POST', `/organizations/${org.id}/templates`, {
      name: 'network',
      type: 'terraform',
    })
    const project = await cp.api<{ id: string }>('POST', `/organizations/${org.id}/projects`, {
      name: 'platform',
    })
    const env = await cp.api<{ id: string }>('POST', `/projects/${project.id}/environments`, {
      name: 'staging',
      templateId: template.id,
    })
    ids.environment = env.id
    agentToken = (
      await cp.api<{ token: string }>('POST', `/organizations/${org.id}/agent-tokens`, {
        name: 'state-agent',
      })
    ).token
    const queued = await cp.api<{ id: string }>('POST', `/environments/${env.id}/deployments`, {})
    ids.deployment = queued.id
    const claim = await (await agent('/agent/v1/claim', { waitSeconds: 0 })).json()
    expect(claim.deployment.id).toBe(queued.id)
    password = claim.deployment.statePassword
    expect(
      (await agent(`/agent/v1/deployments/${queued.id}/status`, { status: 'running' })).status,
    ).toBe(200)
    expect(await backend('POST', '', tfState(1, 'hello', ['first']))).toBe(200)
    expect(await backend('POST', '', tfState(2, 'hello again', ['first', 'second']))).toBe(200)
    const info = { ID: 'lock-console-1', Operation: 'OperationTypeApply', Who: 'ci@runner-7' }
    expect(await backend('LOCK', '/lock', JSON.stringify(info))).toBe(200)
    await page.goto(`${cp.url}/`)
    await page.getByLabel('API key').fill(cp.adminKey)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await cp?.stop()
  })

  afterEach(() => {
    expect(browser.errors()).toEqual([])
  })

  const tab = () => page.getByTestId('state-tab')
  const versionRow = (serial: number) => tab().locator(`tr[data-serial="${serial}"]`)

  it('shows versions, outputs with the sensitive one masked, resources and the lock holder', async () => {
    await page.goto(`${cp.url}/orgs/${ids.org}/environments/${ids.environment}`)
    await page.getByRole('heading', { level: 1, name: 'staging' }).waitFor()
    await page.getByRole('tab', { name: 'State' }).click()
    expect(page.url()).toContain('tab=state')
    await versionRow(2).getByText('latest').waitFor()
    expect(await versionRow(2).locator('td[data-label="By"]').textContent()).toMatch(/@/u)
    await versionRow(2)
      .getByRole('link', { name: ids.deployment.slice(0, 12) })
      .waitFor()
    expect(
      await versionRow(2)
        .getByRole('button', { name: /Restore/u })
        .count(),
    ).toBe(0)
    await versionRow(1).getByRole('button', { name: 'Restore serial 1' }).waitFor()
    const outputs = tab().getByRole('table', { name: 'State outputs' })
    await outputs
      .getByRole('row', { name: /greeting/u })
      .getByText('hello again')
      .waitFor()
    await outputs.getByRole('row', { name: /token/u }).getByText('sensitive (hidden)').waitFor()
    expect(await page.content()).not.toContain(SECRET)
    const resources = tab().getByRole('list', { name: 'State resources' })
    expect(await resources.locator('li').allTextContents()).toEqual([
      'terraform_data.first',
      'terraform_data.second',
    ])
    const lock = tab().getByTestId('state-lock')
    await lock.getByText('ci@runner-7').waitFor()
    await lock.getByText('lock-console-1').waitFor()
    await lock.getByText('running').waitFor()
    await screenshots(page, '14-environment-state')
  })

  it('force-unlocks behind a confirmation that Cancel leaves alone', async () => {
    const lock = tab().getByTestId('state-lock')
    await lock.getByRole('button', { name: 'Force unlock' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    await lock.getByText('ci@runner-7').waitFor()
    await lock.getByRole('button', { name: 'Force unlock' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Force unlock' }).click()
    await tab().getByRole('status').filter({ hasText: 'Lock lock-console-1 released.' }).waitFor()
    await lock.getByText('No deployment holds the state.').waitFor()
    const status = await cp.api<{ lock: unknown }>(
      'GET',
      `/environments/${ids.environment}/state/lock`,
    )
    expect(status.lock).toBeNull()
  })

  it('says why a restore is refused while a deployment holds the environment, then restores', async () => {
    browser.expectHttpErrors(409)
    await versionRow(1).getByRole('button', { name: 'Restore serial 1' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click()
    await tab().getByRole('alert').waitFor()
    expect(await versionRow(3).count()).toBe(0)
    const done = await agent(`/agent/v1/deployments/${ids.deployment}/status`, {
      status: 'succeeded',
    })
    expect(done.status).toBe(200)
    await versionRow(1).getByRole('button', { name: 'Restore serial 1' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click()
    await tab().getByRole('status').filter({ hasText: 'Serial 1 restored as serial 3.' }).waitFor()
    await versionRow(3).getByText('latest').waitFor()
    await versionRow(3).getByText('restored from 1').waitFor()
    const outputs = tab().getByRole('table', { name: 'State outputs' })
    await outputs
      .getByRole('row', { name: /greeting/u })
      .getByText('hello', { exact: true })
      .waitFor()
    expect(await tab().getByRole('list', { name: 'State resources' }).locator('li').count()).toBe(1)
  })

  const PLAN = {
    add: 2,
    change: 0,
    destroy: 2,
    replace: 1,
    resources: [
      { address: 'terraform_data.first', action: 'replace' },
      { address: 'terraform_data.second', action: 'delete' },
      { address: 'terraform_data.third', action: 'create' },
      { address: 'terraform_data.kept', action: 'no-op' },
    ],
  }

  /** A deploy of the environment (which requires approval) that planned and now waits. */
  async function awaitingApproval(): Promise<string> {
    const queued = await cp.api<{ id: string }>(
      'POST',
      `/environments/${ids.environment}/deployments`,
      {},
    )
    const claim = await (await agent('/agent/v1/claim', { waitSeconds: 0 })).json()
    expect(claim.deployment.id).toBe(queued.id)
    expect(
      (await agent(`/agent/v1/deployments/${queued.id}/status`, { status: 'running' })).status,
    ).toBe(200)
    const waiting = await agent(`/agent/v1/deployments/${queued.id}/status`, {
      status: 'awaiting_approval',
      plan: PLAN,
    })
    expect(waiting.status).toBe(200)
    return queued.id
  }

  it('shows the plan summary coloured by action and applies it once approved', async () => {
    await cp.api('PATCH', `/environments/${ids.environment}`, { requiresApproval: true })
    const id = await awaitingApproval()
    await page.goto(`${cp.url}/orgs/${ids.org}/deployments/${id}`)
    await page.getByRole('region', { name: 'Approval' }).waitFor()
    expect(await page.getByTestId('plan-line').textContent()).toBe(
      'Plan: 2 to add, 0 to change, 2 to destroy. (1 replaced)',
    )
    const rows = page.getByRole('table', { name: 'Planned changes' }).locator('tbody tr')
    expect(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))),
    ).toEqual(['replace', 'delete', 'create', 'no-op'])
    const tone = (action: string) =>
      page
        .locator(`table[aria-label="Planned changes"] tr[data-action="${action}"] .badge`)
        .getAttribute('class')
    expect(await tone('create')).toContain('tone-success')
    expect(await tone('delete')).toContain('tone-danger')
    expect(await tone('replace')).toContain('tone-warning')
    await screenshots(page, '15-deployment-approval')
    await page.getByLabel('Comment').fill('looks right')
    await page.getByRole('button', { name: 'Approve and apply' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Plan: 2 to add').waitFor()
    await dialog.getByRole('button', { name: 'Approve and apply' }).click()
    await expect.poll(() => page.getByTestId('deployment-status').textContent()).toBe('running')
    expect(await page.getByTestId('approval').textContent()).toMatch(
      /^Approved by \S+@\S+ at .*: “looks right”$/u,
    )
    expect(await page.getByRole('region', { name: 'Approval' }).count()).toBe(0)
    const heartbeat = await (await agent(`/agent/v1/deployments/${id}/heartbeat`, {})).json()
    expect(heartbeat.status).toBe('running')
    await agent(`/agent/v1/deployments/${id}/status`, { status: 'succeeded' })
  })

  it('rejects behind a confirmation: nothing is applied', async () => {
    const id = await awaitingApproval()
    await page.goto(`${cp.url}/orgs/${ids.org}/deployments/${id}`)
    await page.getByRole('region', { name: 'Approval' }).waitFor()
    await page.getByRole('button', { name: 'Reject' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Reject' }).click()
    await expect.poll(() => page.getByTestId('deployment-status').textContent()).toBe('rejected')
    expect(await page.getByTestId('approval').textContent()).toMatch(/^Rejected by /u)
    const d = await cp.api<{ status: string; approval: { decision: string } }>(
      'GET',
      `/deployments/${id}`,
    )
    expect([d.status, d.approval.decision]).toEqual(['rejected', 'rejected'])
  })
})
