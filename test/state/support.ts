/**
 * A control plane listening on a loopback port with a Terraform environment, for the state
 * backend tests: deployments are claimed through the agent API (which issues their state
 * password) and real `terraform` talks to the backend through its own TF_HTTP_* variables.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { startHarness, type Harness, seed } from '../server/harness.js'
import type { StoreFactory } from '../support/stores.js'
import type { ServerConfig } from '../../src/server/app.js'

export const TERRAFORM = process.env['KEYLESS_TERRAFORM'] ?? '/usr/local/bin/terraform'

export interface StateWorld {
  readonly h: Harness
  readonly url: string
  readonly ids: { org: string; project: string; environment: string; template: string }
  readonly keys: { admin: string; deployer: string; viewer: string; agent: string }
  /** Queues a deployment and claims it as the agent: its id and state password. */
  start(environmentId?: string): Promise<{ id: string; password: string }>
  finish(id: string, status?: 'succeeded' | 'failed'): Promise<void>
  /** Another environment of the same project (same template). */
  environment(name: string): Promise<string>
  close(): Promise<void>
}

export async function startStateWorld(
  factory: StoreFactory,
  config: ServerConfig = {},
): Promise<StateWorld> {
  const store = await factory.open()
  const h = await startHarness({ store, config })
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`
  const s = await seed(h)
  const template = (
    await h.call('POST', `/api/v1/organizations/${s.org.id}/templates`, {
      body: { name: 'tf', type: 'terraform' },
    })
  ).json()
  const environment = async (name: string): Promise<string> =>
    (
      await h.call('POST', `/api/v1/projects/${s.project.id}/environments`, {
        body: { name, templateId: template.id },
      })
    ).json().id as string
  const env = await environment('tf-prod')
  const agent = (path: string, body: unknown) => h.call('POST', path, { key: s.keys.agent, body })
  return {
    h,
    url,
    ids: { org: s.org.id, project: s.project.id, environment: env, template: template.id },
    keys: s.keys,
    environment,
    async start(environmentId = env) {
      const created = await h.call('POST', `/api/v1/environments/${environmentId}/deployments`, {
        key: s.keys.deployer,
        body: {},
      })
      const id = created.json().id as string
      const claim = await agent('/agent/v1/claim', { waitSeconds: 0 })
      const claimed = claim.json().deployment
      if (claimed?.id !== id) throw new Error(`claimed ${String(claimed?.id)} instead of ${id}`)
      await agent(`/agent/v1/deployments/${id}/status`, { status: 'running' })
      return { id, password: claimed.statePassword as string }
    },
    async finish(id, status = 'succeeded') {
      await agent(`/agent/v1/deployments/${id}/status`, { status })
    },
    async close() {
      await h.close()
      await store.close()
    },
  }
}

export function backendEnv(
  world: StateWorld,
  password: string,
  environmentId = world.ids.environment,
): Record<string, string> {
  const address = `${world.url}/api/v1/environments/${environmentId}/state`
  return {
    TF_HTTP_ADDRESS: address,
    TF_HTTP_LOCK_ADDRESS: `${address}/lock`,
    TF_HTTP_UNLOCK_ADDRESS: `${address}/lock`,
    TF_HTTP_USERNAME: 'keyless',
    TF_HTTP_PASSWORD: password,
  }
}

export interface TfResult {
  readonly code: number
  readonly out: string
}

/** Runs terraform in `dir` with only the variables it needs (bounded in time). */
export function terraform(
  dir: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<TfResult> {
  return new Promise((resolve) => {
    execFile(
      TERRAFORM,
      [...args],
      {
        cwd: dir,
        timeout: 60_000,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: dir,
          TF_IN_AUTOMATION: '1',
          TF_INPUT: '0',
          CHECKPOINT_DISABLE: '1',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
        resolve({ code, out: `${stdout}${stderr}` })
      },
    )
  })
}

/** A Terraform module with one terraform_data resource and outputs (no provider download). */
export async function module(
  files: Record<string, string> = {},
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'keyless-tf-'))
  const main = `
terraform {
  backend "http" {}
}
variable "name" {
  type    = string
  default = "first"
}
resource "terraform_data" "thing" {
  input = var.name
}
output "name" {
  value = terraform_data.thing.output
}
output "secret" {
  value     = "hunter2-\${var.name}"
  sensitive = true
}
`
  await writeFile(join(dir, 'main.tf'), main)
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}
