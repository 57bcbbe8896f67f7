import { z } from 'zod'

/**
 * REST shapes of an environment's Terraform state (docs/state.md), shared by the server (which
 * filters its answers through them), the CLI and the console. The state itself and its versions
 * are served as the raw JSON Terraform wrote; these describe everything around it.
 */

export const stateVersionSchema = z.object({
  serial: z.number().int(),
  lineage: z.string(),
  /** Bytes of the state as served. */
  size: z.number().int(),
  /** SHA-256 (hex) of the state as served. */
  sha256: z.string(),
  /** The deployment that wrote it; null for a restore. */
  deploymentId: z.string().nullable(),
  /** Who wrote it: the deployment's deployer, or the key that restored it. */
  createdBy: z.string(),
  /** The serial this version restored, when it is a restore. */
  restoredFrom: z.number().int().nullable(),
  createdAt: z.string(),
})
export type StateVersion = z.infer<typeof stateVersionSchema>

export const stateLockSchema = z.object({
  lockId: z.string(),
  /** Terraform's LockInfo as the holder sent it (ID, Operation, Who, Version, Created, Path). */
  info: z.record(z.string(), z.unknown()),
  deploymentId: z.string(),
  /** Status of the holding deployment: a finished one (`agent lost`) keeps the lock. */
  deploymentStatus: z.string(),
  createdAt: z.string(),
})
export type StateLock = z.infer<typeof stateLockSchema>

export const stateLockStatusSchema = z.object({ lock: stateLockSchema.nullable() })

export const stateOutputSchema = z.object({
  name: z.string(),
  sensitive: z.boolean(),
  /** null when sensitive. */
  value: z.unknown(),
  type: z.unknown(),
})

export const stateOutputsSchema = z.object({
  /** null when the environment has no state yet. */
  serial: z.number().int().nullable(),
  lineage: z.string().nullable(),
  outputs: z.array(stateOutputSchema),
})
export type StateOutputs = z.infer<typeof stateOutputsSchema>

export const stateResourcesSchema = z.object({
  serial: z.number().int().nullable(),
  resources: z.array(z.object({ address: z.string(), mode: z.string(), type: z.string() })),
})
export type StateResources = z.infer<typeof stateResourcesSchema>

export const forceUnlockResponseSchema = z.object({ released: stateLockSchema })
