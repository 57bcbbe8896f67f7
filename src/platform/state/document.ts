import { createHash } from 'node:crypto'
import { z } from 'zod'
import { KeylessError } from '../../shared/errors.js'

/**
 * Reading what Terraform sends: a state document (format version 4 or later; older formats are
 * upgraded by Terraform itself before it writes) and a LockInfo. Pure: bytes in, facts out.
 */

const stateHeadSchema = z.looseObject({
  version: z.number().int().min(1),
  serial: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  lineage: z.string().min(1).max(256),
  terraform_version: z.string().max(64).optional(),
  outputs: z
    .record(
      z.string(),
      z.looseObject({
        value: z.unknown(),
        type: z.unknown().optional(),
        sensitive: z.boolean().optional(),
      }),
    )
    .optional(),
  resources: z
    .array(
      z.looseObject({
        mode: z.string(),
        type: z.string(),
        name: z.string(),
        module: z.string().optional(),
        instances: z
          .array(z.looseObject({ index_key: z.union([z.string(), z.number()]).optional() }))
          .optional(),
      }),
    )
    .optional(),
})
export type StateHead = z.infer<typeof stateHeadSchema>

export interface ParsedState {
  readonly head: StateHead
  readonly sha256: string
  readonly size: number
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function parseJson(
  bytes: Buffer,
  code: 'state_invalid' | 'lock_info_invalid',
  what: string,
): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown
  } catch {
    throw new KeylessError(
      code,
      `the ${what} is not valid JSON (garbage or truncated); nothing was written`,
    )
  }
}

/**
 * Checks a state body: valid JSON, an object with `version`, `serial` and `lineage`, and, when
 * the client sent `Content-MD5` (Terraform does), the same digest (a truncated upload fails).
 */
export function parseState(bytes: Buffer, contentMd5?: string): ParsedState {
  if (contentMd5 !== undefined && contentMd5 !== '') {
    const md5 = createHash('md5').update(bytes).digest('base64')
    if (md5 !== contentMd5.trim())
      throw new KeylessError(
        'state_invalid',
        'the state body does not match its Content-MD5 (truncated or changed in transit); nothing was written',
      )
  }
  const head = stateHeadSchema.safeParse(parseJson(bytes, 'state_invalid', 'state body'))
  if (!head.success)
    throw new KeylessError(
      'state_invalid',
      `the body is not a Terraform state: ${head.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}; nothing was written`,
    )
  return { head: head.data, sha256: sha256Hex(bytes), size: bytes.length }
}

export const lockInfoSchema = z.looseObject({
  ID: z.string().min(1, 'must not be empty').max(256),
  Operation: z.string().max(256).optional(),
  Info: z.string().max(4096).optional(),
  Who: z.string().max(1024).optional(),
  Version: z.string().max(64).optional(),
  Created: z.string().max(64).optional(),
  Path: z.string().max(2048).optional(),
})
export type LockInfo = z.infer<typeof lockInfoSchema>

/** A LockInfo body (LOCK and UNLOCK): JSON with a non-empty `ID`. */
export function parseLockInfo(bytes: Buffer): LockInfo {
  if (bytes.length === 0)
    throw new KeylessError('lock_info_invalid', 'the LockInfo body is empty; it needs an ID')
  if (bytes.length > 64 * 1024)
    throw new KeylessError('lock_info_invalid', 'the LockInfo body is over 64 KiB')
  const info = lockInfoSchema.safeParse(parseJson(bytes, 'lock_info_invalid', 'LockInfo body'))
  if (!info.success)
    throw new KeylessError(
      'lock_info_invalid',
      `invalid LockInfo: ${info.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    )
  return info.data
}

export interface StateOutput {
  readonly name: string
  readonly sensitive: boolean
  /** null when sensitive: the value never leaves. */
  readonly value: unknown
  readonly type: unknown
}

export function outputsOf(head: StateHead): StateOutput[] {
  return Object.entries(head.outputs ?? {})
    .map(([name, o]) => {
      const sensitive = o.sensitive === true
      return { name, sensitive, value: sensitive ? null : (o.value ?? null), type: o.type ?? null }
    })
    .sort((a, b) => a.name.localeCompare(b.name))
}

export interface StateResource {
  readonly address: string
  readonly mode: string
  readonly type: string
}

/** Resource instance addresses, as `terraform state list` prints them. */
export function resourcesOf(head: StateHead): StateResource[] {
  const out: StateResource[] = []
  for (const r of head.resources ?? []) {
    const base = `${r.module === undefined ? '' : `${r.module}.`}${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`
    const instances = r.instances ?? []
    if (instances.length === 0) out.push({ address: base, mode: r.mode, type: r.type })
    for (const i of instances) {
      const key = i.index_key
      const suffix =
        key === undefined ? '' : typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`
      out.push({ address: `${base}${suffix}`, mode: r.mode, type: r.type })
    }
  }
  return out
}

/**
 * The same state with another top-level `serial` (a restore becomes the next version). The
 * number is replaced in the text, so every other byte stays as Terraform wrote it (a re-encoding
 * through JSON.parse would round numbers beyond 2^53).
 */
export function withSerial(bytes: Buffer, serial: number): Buffer {
  const text = bytes.toString('utf8')
  const replaced = text.replace(/"serial"\s*:\s*\d+/u, `"serial": ${serial}`)
  const check = stateHeadSchema.safeParse(JSON.parse(replaced))
  if (check.success && check.data.serial === serial) return Buffer.from(replaced, 'utf8')
  const whole = JSON.parse(text) as Record<string, unknown>
  return Buffer.from(`${JSON.stringify({ ...whole, serial }, null, 2)}\n`, 'utf8')
}
