import type { ReactNode } from 'react'
import {
  parseClosestFicLines,
  parseExplanationLines,
} from '../../../src/shared/explanation/index.js'
import type { Deployment } from '../api/types'
import { ClosestFicTable } from './closest-fic-table'
import { ConditionTable } from './condition-table'

/** The failure message cut into its headline, its facts and (when the emulator explains) the rest. */
export function failureParts(d: Deployment): {
  headline: string
  facts: string[]
  explanation: string[]
} {
  const f = d.failure
  const lines = (f?.message ?? d.message ?? '').split('\n')
  const explanation = f?.explanation ?? []
  let facts = lines.slice(1)
  const cut = facts.findIndex((l) => /explains:\s*$/u.test(l))
  if (cut >= 0 && f?.explanation !== undefined) facts = facts.slice(0, cut)
  return { headline: lines[0] ?? '', facts: facts.map((l) => l.trim()), explanation }
}

/** The cloud whose token exchange failed, from the failure code (`azure_exchange_failed`). */
const EXCHANGE_CLOUDS: Readonly<Record<string, string>> = {
  azure_exchange_failed: 'Entra ID',
  gcp_exchange_failed: 'Google',
}

/**
 * Why a deployment failed: the headline, the facts, and — when the STS endpoint was the keyless
 * emulator — the trust policy's conditions as a table with the differing part of each value marked;
 * for Entra and Google the emulator's explanation (the federated credential or provider that came
 * closest and the field that differed) in full, since the cloud itself says only that nothing matched.
 */
export function Failure({ deployment: d }: { deployment: Deployment }): ReactNode {
  const { headline, facts, explanation } = failureParts(d)
  const cloud = EXCHANGE_CLOUDS[d.failure?.code ?? '']
  if (cloud !== undefined && explanation.length > 0)
    return <ExchangeFailure deployment={d} cloud={cloud} parts={{ headline, facts, explanation }} />
  const rows = parseExplanationLines(explanation)
  return (
    <div className="banner danger failure" role="alert">
      <p>
        <strong>This deployment failed.</strong>{' '}
        {d.failure?.code === undefined ? null : (
          <code className="failure-code">{d.failure.code}</code>
        )}
      </p>
      <p className="failure-headline">{headline}</p>
      {facts.length === 0 ? null : <pre className="failure-facts">{facts.join('\n')}</pre>}
      {rows.length === 0 ? null : (
        <ConditionTable rows={rows} label="Trust-policy conditions of the denied exchange" />
      )}
      {explanation.length === 0 ? null : (
        <details className="failure-explanation">
          <summary>
            {rows.length === 0
              ? `Which statement and condition failed (${explanation.length} lines)`
              : `The emulator’s full explanation (${explanation.length} lines)`}
          </summary>
          <ul className="explanation">
            {explanation.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}

function ExchangeFailure({
  deployment: d,
  cloud,
  parts,
}: {
  deployment: Deployment
  cloud: string
  parts: ReturnType<typeof failureParts>
}): ReactNode {
  const closest = parseClosestFicLines(parts.explanation)
  // The emulator ends with the decision (`→ unauthorized_client: condition … is false`).
  const verdict = parts.explanation.findLast((l) => l.startsWith('→ '))
  return (
    <div className="banner danger failure" role="alert">
      <p>
        <strong>This deployment failed:</strong> {cloud} refused its token.{' '}
        <code className="failure-code">{d.failure?.code}</code>
      </p>
      <p className="failure-headline">{parts.headline}</p>
      {parts.facts.length === 0 ? null : (
        <pre className="failure-facts">{parts.facts.join('\n')}</pre>
      )}
      {verdict === undefined ? null : (
        <p className="failure-verdict" data-testid="failure-verdict">
          <strong>What did not hold:</strong> {verdict.slice(2)}
        </p>
      )}
      {closest === undefined ? null : <ClosestFicTable closest={closest} />}
      <h3 className="failure-why">Why (the emulator’s explanation)</h3>
      <ul className="explanation" aria-label={`Why ${cloud} refused`}>
        {parts.explanation.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </div>
  )
}
