/**
 * Terraform deployments end to end for the state tests: real `keyless server`, `keyless
 * emulator` and `keyless agent` processes (test/e2e/support/stack.ts) on SQLite or on a
 * PostgreSQL database of their own, and Terraform templates in local directories (one
 * `terraform_data` resource and outputs: no provider download).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { startStack, type Json, type Stack } from '../e2e/support/stack.js'
import { createOrg, logText, type Org } from '../e2e/support/world.js'
import { POSTGRES_URL } from '../support/env.js'

export { type Json, type Stack }

export const MAIN_TF = `
variable "name" {
  type    = string
  default = "first"
}
variable "pause" {
  type    = string
  default = "0"
}
resource "terraform_data" "thing" {
  input            = var.name
  triggers_replace = var.name
  provisioner "local-exec" {
    command = "sleep \${var.pause}"
  }
}
output "name" {
  value = terraform_data.thing.output
}
output "secret" {
  value     = "hunter2-\${var.name}"
  sensitive = true
}
`

/** A PostgreSQL database for one stack (dropped by the returned function). */
export async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `keyless_state_${process.pid}_${Date.now().toString(36)}`
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

export interface TfWorld {
  readonly stack: Stack
  readonly org: Org
  /** A directory for the test's own files (removed by close). */
  readonly dir: string
  /** A Terraform template (a local directory with these files) and one environment using it. */
  environment(options?: TfEnvironmentOptions): Promise<TfEnvironment>
  close(): Promise<void>
}

export interface TfEnvironmentOptions {
  readonly files?: Record<string, string>
  readonly stateBackend?: 'managed' | 'template'
  readonly requiresApproval?: boolean
  readonly variables?: Record<string, string>
  /** Commands of `task` deployments. */
  readonly steps?: Array<{ name: string; run: string }>
}

export interface TfEnvironment {
  readonly id: string
  readonly projectId: string
  readonly templateId: string
  readonly templateDir: string
  deploy(type?: string): Promise<string>
  setVariable(name: string, value: string): Promise<void>
}

let counter = 0

export async function startTfWorld(database?: string): Promise<TfWorld> {
  const stack = await startStack(database === undefined ? {} : { database })
  const org = await createOrg(stack, 'acme')
  const dir = mkdtempSync(join(tmpdir(), 'keyless-state-e2e-'))
  return {
    stack,
    org,
    dir,
    async environment(options = {}) {
      counter += 1
      const templateDir = join(dir, `tpl${counter}`)
      mkdirSync(templateDir, { recursive: true })
      for (const [name, text] of Object.entries(options.files ?? { 'main.tf': MAIN_TF }))
        writeFileSync(join(templateDir, name), text)
      const project = await stack.api('POST', `/api/v1/organizations/${org.id}/projects`, {
        name: `p${counter}`,
      })
      const template = await stack.api('POST', `/api/v1/organizations/${org.id}/templates`, {
        name: `tf${counter}`,
        type: 'terraform',
        path: templateDir,
        ...(options.steps === undefined ? {} : { steps: options.steps }),
        ...(options.stateBackend === undefined ? {} : { stateBackend: options.stateBackend }),
      })
      const env = await stack.api('POST', `/api/v1/projects/${project.id}/environments`, {
        name: `e${counter}`,
        templateId: template.id,
        ...(options.requiresApproval === undefined
          ? {}
          : { requiresApproval: options.requiresApproval }),
      })
      const setVariable = async (name: string, value: string): Promise<void> => {
        await stack.api('PUT', `/api/v1/environments/${env.id}/variables/${name}`, { value })
      }
      for (const [name, value] of Object.entries(options.variables ?? {}))
        await setVariable(name, value)
      return {
        id: env.id as string,
        projectId: project.id as string,
        templateId: template.id as string,
        templateDir,
        setVariable,
        async deploy(type = 'deploy') {
          const d = await stack.api('POST', `/api/v1/environments/${env.id}/deployments`, { type })
          return d.id as string
        },
      }
    },
    async close() {
      await stack.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The deployment once it is in one of `statuses` (finished by default), and its log. */
export async function settle(
  stack: Stack,
  id: string,
  statuses: readonly string[] = ['succeeded', 'failed', 'cancelled', 'rejected'],
  ms = 60_000,
): Promise<{ d: Json; log: string }> {
  const deadline = Date.now() + ms
  for (;;) {
    const d = await stack.api('GET', `/api/v1/deployments/${id}`)
    if (statuses.includes(d.status)) return { d, log: await logText(stack, id) }
    if (Date.now() > deadline)
      throw new Error(`deployment ${id} still ${d.status}:\n${await logText(stack, id)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
