import { explanationLines } from '../emulator-explain.js'
import type { Cloud } from '../../shared/contracts/common.js'
import { get, jsonOf } from './http.js'

/**
 * When a cloud's token endpoint is the keyless emulator, its decision log says why it refused
 * (the federated credential that came closest and the field that differed; the CEL condition that
 * rejected) — what Entra and Google never say. A real cloud has no `/_keyless/`: undefined then.
 */
export async function cloudDecisionLines(
  base: string,
  cloud: Cloud,
  errorCode: string,
  extraCa: string | undefined,
): Promise<string[] | undefined> {
  const options = { headers: { accept: 'application/json' }, extraCa, timeoutMs: 2000 }
  try {
    const root = base.replace(/\/+$/u, '')
    const health = await get(`${root}/_keyless/health`, options)
    if (health.status !== 200) return undefined
    const res = await get(`${root}/_keyless/decisions?cloud=${cloud}`, options)
    const decisions = jsonOf(res.body)?.['decisions']
    if (!Array.isArray(decisions)) return undefined
    const entries = decisions as Array<Record<string, unknown>>
    const denied = entries.filter((d) => d['decision'] === 'denied')
    const match = denied.find((d) => d['errorCode'] === errorCode) ?? denied[0]
    return match === undefined ? undefined : explanationLines(match['explanation'])
  } catch {
    return undefined
  }
}
