/**
 * What `keyless deploy --wait` prints after a failed deployment, beyond its log: the failure's
 * message when the log did not show it, then the explanation the runner kept on the failure (the
 * Entra or Google emulator's: the federated credential that came closest and the field that
 * differed, which mapping, condition or binding decided) — the log has only the cloud's own text,
 * and the console is not where a CLI user looks.
 */
import type { Deployment } from '../shared/contracts/resources.js'
import { EMULATOR_EXPLAINS } from '../shared/explanation/index.js'

export function failureLines(
  final: Pick<Deployment, 'failure' | 'message'>,
  shown: readonly string[],
): string[] {
  const why = final.failure?.message ?? final.message ?? ''
  const inLog = (text: string): boolean => shown.some((line) => line.includes(text))
  const head = why !== '' && !inLog(why) ? [why] : []
  // The AWS failure message carries the explanation already (as a table of conditions).
  if (why.includes(EMULATOR_EXPLAINS)) return head
  const explanation = final.failure?.explanation ?? []
  if (explanation.length === 0) return head
  return [...head, EMULATOR_EXPLAINS, ...explanation.map((line) => `  ${line}`)]
}
