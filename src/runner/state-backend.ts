import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AgentDeployment } from '../shared/contracts/agent-api.js'
import { RunFailure } from './failure-error.js'

/**
 * keyless's state backend in a Terraform/OpenTofu deployment (docs/state.md). With
 * `stateBackend: managed` (the default) the runner writes an override file that selects
 * Terraform's built-in `http` backend, and every step gets the backend's addresses and the
 * deployment's state password through Terraform's own `TF_HTTP_*` variables (never on a command
 * line). A template that declares a backend of its own while `managed` fails: keyless does not
 * silently replace it.
 */

/** The file the runner adds to the template's directory. */
export const OVERRIDE_FILE = 'keyless_backend_override.tf'

export const OVERRIDE_TEXT = `# Added by keyless (stateBackend: managed): state is kept by the control plane.
terraform {
  backend "http" {}
}
`

/** True when keyless keeps this deployment's state. */
export function usesManagedState(deployment: AgentDeployment): boolean {
  return deployment.template.type !== 'custom' && deployment.template.stateBackend !== 'template'
}

/** The `TF_HTTP_*` variables of the environment's backend at the control plane `serverUrl`. */
export function stateBackendEnv(
  deployment: AgentDeployment,
  serverUrl: string,
): Record<string, string> {
  if (
    !usesManagedState(deployment) ||
    deployment.statePassword === null ||
    deployment.statePassword === undefined
  )
    return {}
  const base = serverUrl.replace(/\/+$/u, '')
  const address = `${base}/api/v1/environments/${encodeURIComponent(deployment.environmentId)}/state`
  return {
    TF_HTTP_ADDRESS: address,
    TF_HTTP_LOCK_ADDRESS: `${address}/lock`,
    TF_HTTP_UNLOCK_ADDRESS: `${address}/lock`,
    TF_HTTP_USERNAME: 'keyless',
    TF_HTTP_PASSWORD: deployment.statePassword,
  }
}

/** A backend (or `cloud`) block declared by the template's own code. */
export interface DeclaredBackend {
  readonly file: string
  readonly kind: string
}

/**
 * Adds the override file when keyless keeps the state; fails, naming the setting, when the
 * template's root module already declares a backend. `template`: nothing to do.
 */
export async function prepareStateBackend(
  deployment: AgentDeployment,
  templateDir: string,
): Promise<'managed' | 'template' | 'none'> {
  if (deployment.template.type === 'custom') return 'none'
  if (!usesManagedState(deployment)) return 'template'
  const declared = await findDeclaredBackend(templateDir)
  if (declared !== undefined) {
    throw new RunFailure({
      code: 'state_backend_conflict',
      message:
        `the template "${deployment.template.name}" declares its own ${declared.kind} in ${declared.file}, ` +
        `but its stateBackend setting is "managed" (keyless keeps the state). Either remove that block ` +
        `to let keyless keep the state, or set the template's stateBackend to "template" to keep using ` +
        `your own backend (docs/state.md).`,
    })
  }
  await writeFile(join(templateDir, OVERRIDE_FILE), OVERRIDE_TEXT, { mode: 0o600 })
  return 'managed'
}

/** The first `backend "…"` or `cloud` block in the root module's `.tf` / `.tf.json` files. */
export async function findDeclaredBackend(dir: string): Promise<DeclaredBackend | undefined> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.tf') || n.endsWith('.tf.json'))
  for (const file of names.sort()) {
    if (file === OVERRIDE_FILE) continue
    const text = await readFile(join(dir, file), 'utf8')
    const kind = file.endsWith('.json') ? backendInJson(text) : backendInHcl(text)
    if (kind !== undefined) return { file, kind }
  }
  return undefined
}

/** `backend "s3"` / `cloud {` in HCL, comments removed first. */
export function backendInHcl(text: string): string | undefined {
  const code = stripComments(text)
  const backend = /(?:^|[\s{;])backend\s+"([^"]*)"\s*\{/u.exec(code)
  if (backend !== null) return `backend "${backend[1] ?? ''}" block`
  if (/(?:^|[\s{;])cloud\s*\{/u.test(code) && /(?:^|\s)terraform\s*\{/u.test(code))
    return 'cloud block'
  return undefined
}

function backendInJson(text: string): string | undefined {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    return undefined // Terraform reports a broken file itself
  }
  const blocks = asList((doc as { terraform?: unknown } | null)?.terraform)
  for (const block of blocks) {
    if (typeof block !== 'object' || block === null) continue
    const b = block as Record<string, unknown>
    if (b['backend'] !== undefined) {
      const first = asList(b['backend'])[0]
      const kind = typeof first === 'object' && first !== null ? Object.keys(first)[0] : undefined
      return `backend "${kind ?? ''}" block`
    }
    if (b['cloud'] !== undefined) return 'cloud block'
  }
  return undefined
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

/** Removes `#`, `//` and `/* … *\/` comments, leaving strings alone. */
function stripComments(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const c = text[i]
    const next = text[i + 1]
    if (c === '"') {
      const end = stringEnd(text, i)
      out += text.slice(i, end)
      i = end
    } else if (c === '#' || (c === '/' && next === '/')) {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? text.length : end + 2
      out += ' '
    } else {
      out += c
      i++
    }
  }
  return out
}

function stringEnd(text: string, start: number): number {
  let i = start + 1
  while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1
  return Math.min(text.length, i + 1)
}

/** The state backend's variables (none when the template keeps its own state). */
export async function stateOf(
  deployment: AgentDeployment,
  templateDir: string,
  serverUrl: string | undefined,
  system: (text: string) => void,
  replicas?: readonly string[],
): Promise<Record<string, string>> {
  const mode = await prepareStateBackend(deployment, templateDir)
  if (mode === 'template')
    system("state: kept by the template's own backend (stateBackend: template)")
  if (mode !== 'managed') return {}
  const state = stateBackendEnv(deployment, serverUrl ?? '')
  if (
    serverUrl === undefined ||
    state['TF_HTTP_ADDRESS'] === undefined ||
    !usesManagedState(deployment)
  )
    throw new RunFailure({
      code: 'state_backend_unavailable',
      message:
        "keyless keeps this template's state (stateBackend: managed), but the control plane issued no state password to this deployment or the agent does not know its URL; upgrade the control plane and the agent together",
    })
  const address = state['TF_HTTP_ADDRESS']
  system(
    replicas === undefined
      ? `state: kept by keyless at ${address} (http backend, ${OVERRIDE_FILE})`
      : `state: kept by keyless at ${replicas.join(', ')} (the replica in use, through the agent's relay ${address}; http backend, ${OVERRIDE_FILE})`,
  )
  return state
}
