import type { ReactNode } from 'react'
import {
  highlightRow,
  type ConditionRow,
  type Segment,
} from '../../../src/shared/explanation/index.js'
import { Badge } from '../ui/badge'

/** A value with the part that differs from the value it was compared with marked. */
function Marked({ segments }: { segments: readonly Segment[] }): ReactNode {
  if (segments.length === 0) return <code>""</code>
  return (
    <code>
      {segments.map((s, i) =>
        s.differs ? (
          <mark key={i} className="diff">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </code>
  )
}

/** Condition values, one per line; null means the key is absent from the token. */
function Values({
  values,
  absent,
}: {
  values: readonly (readonly Segment[])[] | null
  absent: string
}): ReactNode {
  if (values === null || values.length === 0) return <span className="muted">{absent}</span>
  return (
    <span className="values">
      {values.map((v, i) => (
        <Marked key={i} segments={v} />
      ))}
    </span>
  )
}

/**
 * The conditions of a trust-policy explanation as a table: statement, condition key, operator,
 * the token's value, the policy's value(s), met or not — the differing part of an unmet value
 * marked (the same rows `keyless deploy` prints).
 */
export function ConditionTable({
  rows,
  statementColumn = true,
  label = 'Trust-policy conditions',
}: {
  rows: readonly ConditionRow[]
  statementColumn?: boolean
  label?: string
}): ReactNode {
  const actions = new Set(rows.map((r) => r.action))
  return (
    <div className="table-wrap">
      <table className="table conditions stack" aria-label={label}>
        <thead>
          <tr>
            {statementColumn ? <th scope="col">Statement</th> : null}
            <th scope="col">Condition key</th>
            <th scope="col">Operator</th>
            <th scope="col">Token’s value</th>
            <th scope="col">Policy’s value(s)</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const h = highlightRow(row)
            return (
              <tr
                key={i}
                className={row.met ? undefined : 'row-fail'}
                data-result={row.met ? 'pass' : 'fail'}
              >
                {statementColumn ? (
                  <td data-label="Statement">
                    {row.statement}
                    {actions.size > 1 && row.action !== null ? (
                      <div className="muted small">{row.action}</div>
                    ) : null}
                  </td>
                ) : null}
                <td data-label="Condition key">
                  <code>{row.key}</code>
                </td>
                <td data-label="Operator">
                  <code>{row.operator}</code>
                </td>
                <td data-label="Token’s value">
                  <Values values={h.tokenSegments} absent="absent from the token" />
                </td>
                <td data-label="Policy’s value(s)">
                  <Values values={h.policySegments} absent="none" />
                </td>
                <td data-label="Result">
                  <Badge
                    value={row.met ? 'succeeded' : 'failed'}
                    label={row.met ? '✓ met' : '✗ not met'}
                  />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
