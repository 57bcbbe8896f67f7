import type { ReactNode } from 'react'
import { parseExplanationLines } from '../../../src/shared/explanation/index.js'
import type { Deployment } from '../api/types'
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

/**
 * Why a deployment failed: the headline, the facts, and — when the STS endpoint was the keyless
 * emulator — the trust policy's conditions as a table with the differing part of each value marked.
 */
export function Failure({ deployment: d }: { deployment: Deployment }): ReactNode {
  const { headline, facts, explanation } = failureParts(d)
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
