import { z } from 'zod'

/**
 * When the STS endpoint is the keyless emulator, its decision log says why it answered as it did
 * (which statement, which condition) — something AWS's own AccessDenied never says. Real AWS
 * answers 404 (or nothing) at `/_keyless/`, so this returns undefined there.
 */
const decisionsSchema = z.object({
  decisions: z.array(
    z.looseObject({
      time: z.string().optional(),
      action: z.string().optional(),
      roleArn: z.string().nullable().optional(),
      decision: z.string().optional(),
      errorCode: z.string().nullable().optional(),
      reason: z.string().optional(),
      explanation: z.unknown().optional(),
    }),
  ),
})

/** The emulator's decision for a failed exchange: its explanation and its reason (`role-not-found`, …). */
export interface EmulatorDecision {
  readonly lines: string[]
  readonly reason?: string
}

export async function emulatorExplanation(
  endpoint: string,
  roleArn: string,
  awsCode: string,
  timeoutMs = 2000,
): Promise<string[] | undefined> {
  return (await emulatorDecision(endpoint, roleArn, awsCode, timeoutMs))?.lines
}

export async function emulatorDecision(
  endpoint: string,
  roleArn: string,
  awsCode: string,
  timeoutMs = 2000,
): Promise<EmulatorDecision | undefined> {
  const base = endpoint.replace(/\/+$/u, '')
  try {
    const health = await fetch(`${base}/_keyless/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!health.ok) return undefined
    const res = await fetch(`${base}/_keyless/decisions?roleArn=${encodeURIComponent(roleArn)}`, {
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!res.ok) return undefined
    const parsed = decisionsSchema.safeParse(await res.json())
    if (!parsed.success) return undefined
    const match =
      parsed.data.decisions.find(
        (d) =>
          (d.action === undefined || /AssumeRoleWithWebIdentity/u.test(d.action)) &&
          d.decision === 'denied' &&
          (d.errorCode ?? awsCode) === awsCode &&
          (d.roleArn === undefined || d.roleArn === null || d.roleArn === roleArn),
      ) ?? parsed.data.decisions.find((d) => d.decision === 'denied')
    if (match === undefined) return undefined
    const lines = explanationLines(match.explanation)
    return match.reason === undefined ? { lines } : { lines, reason: match.reason }
  } catch {
    return undefined
  }
}

/** The decision log's explanation may be a string, a list of strings or structured; flatten it. */
export function explanationLines(explanation: unknown): string[] {
  if (explanation === undefined || explanation === null) return []
  if (typeof explanation === 'string') return explanation.split('\n').filter((l) => l !== '')
  if (Array.isArray(explanation)) return explanation.flatMap((e) => explanationLines(e))
  if (typeof explanation === 'object') {
    const o = explanation as Record<string, unknown>
    for (const key of ['summary', 'message', 'text', 'lines', 'steps', 'explains']) {
      if (o[key] !== undefined) return explanationLines(o[key])
    }
    return [JSON.stringify(explanation)]
  }
  return typeof explanation === 'number' || typeof explanation === 'boolean'
    ? [String(explanation)]
    : []
}
