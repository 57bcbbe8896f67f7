import type { ReactNode } from 'react'
import {
  diffPair,
  type ClosestFicLines,
  type Segment,
} from '../../../src/shared/explanation/index.js'

const FIELD_LABEL = { issuer: 'Issuer', audience: 'Audience', subject: 'Subject' } as const

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

/**
 * What Entra never says about AADSTS70021 and its kin: the federated credential that came closest
 * to the token and each field that differed, the differing part of both values marked, with the
 * usual culprit (trailing slash, case, whitespace) named.
 */
export function ClosestFicTable({ closest }: { closest: ClosestFicLines }): ReactNode {
  if (closest.name === null)
    return (
      <p className="failure-headline">
        The application has no federated identity credentials: add one for this environment’s
        subject (Azure setup).
      </p>
    )
  if (closest.differences.length === 0)
    return (
      <p className="failure-headline">
        Federated credential <code>{closest.name}</code> matches issuer, audience and subject.
      </p>
    )
  return (
    <>
      <p className="closest-fic">
        Closest federated credential: <code>{closest.name}</code>
      </p>
      <div className="table-wrap">
        <table
          className="table conditions stack"
          aria-label={`Closest federated credential: ${closest.name}`}
        >
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Federated credential’s value</th>
              <th scope="col">Token’s value</th>
              <th scope="col">Why it differs</th>
            </tr>
          </thead>
          <tbody>
            {closest.differences.map((d) => {
              const pair = diffPair(d.assertion, d.credential ?? '')
              return (
                <tr key={d.field} className="row-fail" data-result="fail" data-field={d.field}>
                  <td data-label="Field" className="nowrap">
                    <strong>{FIELD_LABEL[d.field]}</strong>
                  </td>
                  <td data-label="Federated credential’s value">
                    {d.credential === null ? (
                      <span className="muted">none (claims-matching expression)</span>
                    ) : (
                      <Marked segments={pair.other} />
                    )}
                  </td>
                  <td data-label="Token’s value">
                    <Marked segments={pair.value} />
                  </td>
                  <td data-label="Why it differs">
                    {d.hint ?? <span className="muted">different values</span>}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </>
  )
}
