/**
 * Terraform deployments keep their state in keyless (docs/state.md), end to end with real
 * processes and real `terraform`, on SQLite and PostgreSQL: deploy, deploy again (no changes),
 * change a variable (replace), destroy, deploy again; a template with its own backend while
 * `managed` fails naming the setting; `template` leaves the code's backend alone; approving a
 * saved plan whose state moved on fails with Terraform's own "Saved plan is stale".
 */
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requirePostgres, requireTerraform, TERRAFORM } from '../support/env.js'
import { postgresFactory } from '../support/stores.js'
import { startProcess } from '../e2e/support/stack.js'
import { createRole, ensureProvider, generatedTrustPolicy } from '../e2e/support/world.js'
import {
  MAIN_TF,
  postgresDatabase,
  settle,
  startTfWorld,
  type Json,
  type TfWorld,
} from './e2e-support.js'

const hasTerraform = existsSync(TERRAFORM) || requireTerraform
const dialects = [
  { label: 'SQLite', available: hasTerraform },
  {
    label: 'PostgreSQL',
    available: hasTerraform && (postgresFactory.available || requirePostgres),
  },
]

for (const dialect of dialects) {
  describe.skipIf(!dialect.available)(
    `terraform state end to end (${dialect.label})`,
    { timeout: 120_000 },
    () => {
      let world: TfWorld
      let dropDatabase: (() => Promise<void>) | undefined
      beforeAll(async () => {
        let database: string | undefined
        if (dialect.label === 'PostgreSQL') {
          const db = await postgresDatabase()
          database = db.url
          dropDatabase = db.drop
        }
        world = await startTfWorld(database)
        world.stack.startAgent(world.org.agentToken, { concurrency: 2 })
      }, 120_000)
      afterAll(async () => {
        await world?.close()
        await dropDatabase?.()
      })

      it('deploy, deploy again (no changes), change a variable (replace), destroy, deploy again', async () => {
        const { stack } = world
        const env = await world.environment({ variables: { TF_VAR_name: 'zebra-7781' } })
        const first = await settle(stack, await env.deploy())
        expect(first.d.status, first.log).toBe('succeeded')
        expect(first.log).toContain('1 added')
        expect(first.log).toContain('state: kept by keyless at')
        expect(first.d.plan).toEqual({
          add: 1,
          change: 0,
          destroy: 0,
          replace: 0,
          resources: [{ address: 'terraform_data.thing', action: 'create' }],
        })

        const again = await settle(stack, await env.deploy())
        expect(again.d.status, again.log).toBe('succeeded')
        expect(again.log).toContain('No changes')
        expect(again.d.plan).toMatchObject({ add: 0, change: 0, destroy: 0, replace: 0 })

        await env.setVariable('TF_VAR_name', 'okapi-3321')
        // Through the CLI: `keyless deploy --wait` prints the plan summary.
        const cli = startProcess([
          'deploy',
          '--environment',
          env.id,
          '--wait',
          '--server',
          stack.serverUrl,
          '--api-key',
          stack.adminKey,
        ])
        await new Promise((resolve) => cli.child.once('exit', resolve))
        expect(cli.output()).toContain('plan: 1 to add, 0 to change, 1 to destroy (1 replaced)')
        expect(cli.output()).toContain('-/+ terraform_data.thing (replace)')
        expect(cli.output()).toContain('1 added, 0 changed, 1 destroyed')
        expect(cli.child.exitCode, cli.output()).toBe(0)

        const destroyed = await settle(stack, await env.deploy('destroy'))
        expect(destroyed.d.status, destroyed.log).toBe('succeeded')
        expect(destroyed.log).toContain('1 destroyed')
        expect(destroyed.d.plan).toMatchObject({ add: 0, destroy: 1, replace: 0 })

        const back = await settle(stack, await env.deploy())
        expect(back.d.status, back.log).toBe('succeeded')
        expect(back.log).toContain('1 added')

        const outputs = await stack.api('GET', `/api/v1/environments/${env.id}/state/outputs`)
        expect(outputs.outputs).toContainEqual(
          expect.objectContaining({ name: 'name', value: 'okapi-3321' }),
        )
        // Encryption at rest: the sensitive output (in the state only, masked in every log)
        // never appears in clear in the data directory.
        if (dialect.label === 'SQLite')
          expect(grepTree(join(stack.dir, 'data'), 'hunter2-okapi-3321')).toEqual([])
      })

      it('approval: the plan waits, approve applies it, reject ends rejected with nothing applied', async () => {
        const { stack } = world
        const env = await world.environment({
          requiresApproval: true,
          variables: { TF_VAR_name: 'gated-1' },
        })
        const first = await env.deploy()
        const waiting = await settle(stack, first, ['awaiting_approval', 'failed'])
        expect(waiting.d.status, waiting.log).toBe('awaiting_approval')
        expect(waiting.d.plan).toMatchObject({ add: 1, change: 0, destroy: 0 })
        expect(waiting.log).toContain(`keyless deploy approve ${first}`)
        const behind = await stack.api('GET', `/api/v1/deployments/${await env.deploy('plan')}`)
        expect(behind.waitingFor.message).toBe(`environment busy with ${first} (awaiting approval)`)
        const cli = startProcess([
          'deploy',
          'approve',
          first,
          '--server',
          stack.serverUrl,
          '--api-key',
          stack.adminKey,
        ])
        await new Promise((resolve) => cli.child.once('exit', resolve))
        expect(cli.output()).toContain(`deployment ${first} approved: applying`)
        const applied = await settle(stack, first)
        expect(applied.d.status, applied.log).toBe('succeeded')
        expect(applied.d.approval).toMatchObject({ decision: 'approved' })
        expect(applied.log).toContain('Apply complete! Resources: 1 added')
        await settle(stack, behind.id)

        await env.setVariable('TF_VAR_name', 'gated-2')
        const second = await env.deploy()
        expect((await settle(stack, second, ['awaiting_approval', 'failed'])).d.status).toBe(
          'awaiting_approval',
        )
        const restore = await stack.apiRaw(
          'POST',
          `/api/v1/environments/${env.id}/state/versions/1/restore`,
        )
        expect(restore.status).toBe(409)
        const rejected = await stack.api('POST', `/api/v1/deployments/${second}/reject`, {
          comment: 'not today',
        })
        expect(rejected).toMatchObject({ status: 'rejected', approval: { decision: 'rejected' } })
        const outputs = await stack.api('GET', `/api/v1/environments/${env.id}/state/outputs`)
        expect(outputs.outputs).toContainEqual(expect.objectContaining({ value: 'gated-1' }))
        const again = await stack.apiRaw('POST', `/api/v1/deployments/${second}/approve`, {})
        expect(again.status).toBe(409)
      })

      it('plan and apply phases: each its own token (runPhase) and session, the plan with planRoleArn', async () => {
        const { stack, org } = world
        await ensureProvider(stack.emulatorUrl, org.issuer, [org.audience])
        const trust = generatedTrustPolicy(org)
        const suffix = dialect.label === 'SQLite' ? 's' : 'p'
        const applyRole = await createRole(stack.emulatorUrl, `tf-apply-${suffix}`, trust)
        const planRole = await createRole(stack.emulatorUrl, `tf-plan-${suffix}`, trust)
        const env = await world.environment()
        const credential = await stack.api('POST', `/api/v1/organizations/${org.id}/credentials`, {
          name: `tf-${suffix}`,
          region: 'us-east-1',
          roleArn: applyRole,
          planRoleArn: planRole,
          stsEndpoint: stack.emulatorUrl,
        })
        await stack.api('PUT', `/api/v1/projects/${env.projectId}/credentials/${credential.id}`)
        const id = await env.deploy()
        const { d, log } = await settle(stack, id)
        expect(d.status, log).toBe('succeeded')
        expect(log).toContain(`assumed-role/tf-plan-${suffix}/${id}`)
        expect(log).toContain(`assumed-role/tf-apply-${suffix}/${id}`)
        expect(log).toContain('run phase apply: a new token and session')
        expect(d.assumedRoleArn).toContain(`assumed-role/tf-apply-${suffix}/`)
        expect(d.runPhase).toBe('apply')
        expect(d.lastTokenClaims.runPhase).toBe('apply')
        const audit = await stack.api(
          'GET',
          `/api/v1/organizations/${org.id}/audit?action=token.minted&limit=200`,
        )
        const mints = (audit.items as Json[]).filter((e) => e.deploymentId === id)
        const phases = new Set(mints.map((e) => e.details.runPhase))
        expect(phases).toEqual(new Set(['plan', 'apply']))
        const jtiOf = (phase: string) =>
          new Set(mints.filter((e) => e.details.runPhase === phase).map((e) => e.details.jti))
        for (const jti of jtiOf('plan')) expect(jtiOf('apply').has(jti)).toBe(false)
      })

      it('a template with its own backend while managed fails naming the setting', async () => {
        const env = await world.environment({
          files: {
            'main.tf': MAIN_TF,
            'backend.tf': 'terraform {\n  backend "s3" {\n    bucket = "mine"\n  }\n}\n',
          },
        })
        const { d, log } = await settle(world.stack, await env.deploy())
        expect(d.status, log).toBe('failed')
        expect(d.failure.code).toBe('state_backend_conflict')
        expect(d.failure.message).toContain('backend "s3" block in backend.tf')
        expect(d.failure.message).toContain('stateBackend')
      })

      it('every step gets the TF_HTTP_* variables; the password is masked in the log', async () => {
        const env = await world.environment({
          steps: [
            {
              name: 'show',
              run: 'echo "user=$TF_HTTP_USERNAME pw=$TF_HTTP_PASSWORD lock=$TF_HTTP_LOCK_ADDRESS"',
            },
          ],
        })
        const { d, log } = await settle(world.stack, await env.deploy('task'))
        expect(d.status, log).toBe('succeeded')
        expect(log).toContain('user=keyless pw=*** lock=http://127.0.0.1:')
        expect(log).toContain(`/api/v1/environments/${env.id}/state/lock`)
      })

      it('stateBackend: template leaves the code alone (here: its local backend)', async () => {
        const env = await world.environment({ stateBackend: 'template' })
        const { d, log } = await settle(world.stack, await env.deploy())
        expect(d.status, log).toBe('succeeded')
        expect(log).toContain("state: kept by the template's own backend")
        expect(log).not.toContain('TF_HTTP')
        const versions = await world.stack.api(
          'GET',
          `/api/v1/environments/${env.id}/state/versions`,
        )
        expect(versions.items).toEqual([])
      })
    },
  )
}

describe.skipIf(!hasTerraform)('a stale saved plan (SQLite)', { timeout: 120_000 }, () => {
  let world: TfWorld
  beforeAll(async () => {
    world = await startTfWorld()
    // The agent's terraform: after the plan, it applies on its own through the backend with the
    // deployment's state password (still valid while the deployment awaits approval), so the
    // state moves past the saved plan.
    writeFileSync(
      join(world.dir, 'terraform'),
      `#!/bin/sh\n${JSON.stringify(TERRAFORM)} "$@" || exit $?\n` +
        `if [ "$1" = plan ]; then ${JSON.stringify(TERRAFORM)} apply -auto-approve -input=false -no-color >/dev/null || exit 1; fi\n`,
    )
    chmodSync(join(world.dir, 'terraform'), 0o755)
    world.stack.startAgent(world.org.agentToken, {
      concurrency: 1,
      env: { PATH: `${world.dir}:${process.env['PATH'] ?? '/usr/bin:/bin'}` },
    })
  }, 120_000)
  afterAll(async () => {
    await world?.close()
  })

  it("approve of a plan whose state moved on fails with Terraform's own message", async () => {
    const { stack } = world
    const env = await world.environment({ requiresApproval: true })
    const id = await env.deploy()
    const waiting = await settle(stack, id, ['awaiting_approval', 'failed'])
    expect(waiting.d.status, waiting.log).toBe('awaiting_approval')
    const versions = await stack.api('GET', `/api/v1/environments/${env.id}/state/versions`)
    expect(versions.items.length).toBeGreaterThan(0)
    await stack.api('POST', `/api/v1/deployments/${id}/approve`, {})
    const { d, log } = await settle(stack, id)
    expect(d.status, log).toBe('failed')
    expect(log).toContain('Saved plan is stale')
  })
})

/** Files under `dir` whose bytes contain `needle`. */
function grepTree(dir: string, needle: string): string[] {
  const hits: string[] = []
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      const full = join(path, name)
      if (statSync(full).isDirectory()) walk(full)
      else if (readFileSync(full).includes(needle)) hits.push(full)
    }
  }
  walk(dir)
  return hits
}
