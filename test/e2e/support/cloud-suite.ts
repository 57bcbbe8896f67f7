/**
 * Deployments that federate with Azure and GCP, end to end with real processes, run on SQLite and
 * PostgreSQL: the runner's own exchange before the steps, the environment the Azure SDKs and
 * google-auth-library read, masking, and an explained refusal that fails fast.
 */
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GCLOUD, requireGcloud } from '../../support/env.js'
import { startStack, type Stack, type StackOptions } from './stack.js'
import { azureIdentityStep, trustAzure } from './azure-world.js'
import { googleAuthStep, trustGcp, GCP_PROJECT_ID } from './gcp-world.js'
import { createEnv, createOrg, deploy, logText, waitStatus, type Org } from './world.js'

const gcloudHere = existsSync(GCLOUD) || requireGcloud

export function cloudSuite(label: string, stackOptions: () => Promise<StackOptions>): void {
  describe(`deployments with Azure and GCP (${label})`, { timeout: 120_000 }, () => {
    let stack: Stack
    let org: Org
    beforeAll(async () => {
      stack = await startStack(await stackOptions())
      org = await createOrg(stack, `clouds-${label.toLowerCase()}`)
      stack.startAgent(org.agentToken)
    }, 120_000)
    afterAll(async () => {
      await stack?.stop()
    })

    it('a step gets an Azure token through @azure/identity from the environment keyless set', async () => {
      const env = await createEnv(stack, org, {
        steps: [{ name: 'azure', run: azureIdentityStep(stack.dir) }],
        credential: null,
      })
      const { appId } = await trustAzure(stack, org, env)
      const id = await deploy(stack, env)
      const d = await waitStatus(stack, id)
      const log = await logText(stack, id)
      expect(d.status, log).toBe('succeeded')
      expect(log).toContain(`azure appid: ${appId} tid: `)
      expect(log).toContain(`arm: true ${appId} `)
      expect(log).toMatch(/Azure: signed in as client/u)
      // The runner's own access token and the keyless token never reach the log.
      expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/u)
    })

    it('fails before any step with Entra’s reason and the federated credential that came closest', async () => {
      const env = await createEnv(stack, org, {
        steps: [{ name: 'never', run: 'echo step-ran' }],
        credential: null,
      })
      await trustAzure(stack, org, env, { subject: `org:${org.id}:project:other` })
      const id = await deploy(stack, env)
      const d = await waitStatus(stack, id)
      const log = await logText(stack, id)
      expect(d.status).toBe('failed')
      expect(d.failure?.code ?? d.failureCode ?? '', JSON.stringify(d)).toContain(
        'azure_exchange_failed',
      )
      expect(log).toContain('AADSTS700213')
      expect(log).not.toContain('step-ran')
      expect(JSON.stringify(d.failure?.explanation ?? [])).toContain('subject')
    })

    it('a step gets a GCP access token through google-auth-library, impersonating the service account', async () => {
      const env = await createEnv(stack, org, {
        steps: [{ name: 'gcp', run: googleAuthStep(stack.dir) }],
        credential: null,
      })
      const { serviceAccount } = await trustGcp(stack, org, env)
      const id = await deploy(stack, env)
      const d = await waitStatus(stack, id)
      const log = await logText(stack, id)
      expect(d.status, log).toBe('succeeded')
      expect(log).toContain('gcp access token: true')
      expect(log).toContain(`gcp acting as: ${serviceAccount}`)
      expect(log).toContain(`gcp project: ${GCP_PROJECT_ID}`)
      expect(log).toMatch(/GCP: acting as /u)
      expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/u)
    })

    it.skipIf(!gcloudHere)(
      'a step runs gcloud with the credential file keyless set (CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE), no login',
      async () => {
        const run = [
          'export CLOUDSDK_CONFIG="$KEYLESS_WORK_DIR/gcloud" CLOUDSDK_CORE_DISABLE_PROMPTS=1',
          `token=$("${GCLOUD}" auth print-access-token)`,
          'echo "gcloud token prefix: $(printf %s "$token" | cut -c1-5)"',
          `echo "gcloud project: $("${GCLOUD}" config get-value project 2>/dev/null)"`,
        ].join('\n')
        const env = await createEnv(stack, org, {
          steps: [{ name: 'gcloud', run }],
          credential: null,
        })
        await trustGcp(stack, org, env)
        const id = await deploy(stack, env)
        const d = await waitStatus(stack, id, undefined, 120_000)
        const log = await logText(stack, id)
        expect(d.status, log).toBe('succeeded')
        expect(log).toContain('gcloud token prefix: ya29.')
        expect(log).toContain(`gcloud project: ${GCP_PROJECT_ID}`)
      },
    )

    it('fails before any step when the provider’s condition rejects, naming the condition', async () => {
      const env = await createEnv(stack, org, {
        steps: [{ name: 'never', run: 'echo step-ran' }],
        credential: null,
      })
      await trustGcp(stack, org, env, {
        condition: "assertion.organizationId == 'org_someone_else'",
      })
      const id = await deploy(stack, env)
      const d = await waitStatus(stack, id)
      const log = await logText(stack, id)
      expect(d.status).toBe('failed')
      expect(d.failure?.code, JSON.stringify(d)).toBe('gcp_exchange_failed')
      expect(log).toContain('Google STS refused the exchange')
      expect(log).not.toContain('step-ran')
      expect(JSON.stringify(d.failure?.explanation ?? [])).toContain('org_someone_else')
    })
  })
}
