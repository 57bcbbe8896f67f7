import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { RunFailure } from '../failure-error.js'
import { openAzureSession } from './azure.js'
import { openGcpSession } from './gcp.js'
import type { CloudContext, CloudSession } from './types.js'

export type { CloudContext, CloudSession } from './types.js'

/**
 * The sessions of the clouds other than AWS a deployment federates with (each with its own
 * token, docs/azure.md and docs/gcp.md), opened for a phase in order; one that fails stops the
 * ones already open and fails the deployment before any step runs.
 */
export async function openCloudSessions(ctx: CloudContext): Promise<CloudSession[]> {
  const openers: Array<() => Promise<CloudSession>> = []
  const { azure, gcp } = ctx.deployment
  if (azure !== undefined && azure !== null) openers.push(() => openAzureSession(ctx, azure))
  if (gcp !== undefined && gcp !== null) openers.push(() => openGcpSession(ctx, gcp))
  const open: CloudSession[] = []
  try {
    for (const opener of openers) open.push(await opener())
  } catch (error) {
    await stopCloudSessions(open)
    throw error
  }
  return open
}

export async function stopCloudSessions(sessions: readonly CloudSession[]): Promise<void> {
  await Promise.all(sessions.map((s) => s.stop()))
}

/** The variables every open cloud session gives the steps. */
export function cloudEnv(sessions: readonly CloudSession[]): Record<string, string> {
  return Object.assign({}, ...sessions.map((s) => s.env)) as Record<string, string>
}

/** Reads the agent's extra CA file and writes the bundle (system roots + it) the steps get. */
export async function loadExtraCa(
  caFile: string | undefined,
  workDir: string,
): Promise<CloudContext['extraCa']> {
  if (caFile === undefined) return undefined
  let pem: string
  try {
    pem = await readFile(caFile, 'utf8')
  } catch (error) {
    throw new RunFailure({
      code: 'input_unreadable',
      message: `the agent's --cloud-ca-file ${caFile} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    })
  }
  const bundleFile = join(workDir, 'cloud-ca-bundle.pem')
  await writeFile(bundleFile, `${[...rootCertificates, pem.trim()].join('\n')}\n`, { mode: 0o600 })
  return { pem, bundleFile }
}
