import type { ReactNode } from 'react'

function render(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && value > 1_000_000_000 && value < 10_000_000_000)
    return `${value} (${new Date(value * 1000).toISOString()})`
  return JSON.stringify(value, null, 2)
}

/** A token's claims (never the token itself), one row per claim. */
export function ClaimsTable({ claims }: { claims: Record<string, unknown> }): ReactNode {
  const entries = Object.entries(claims)
  if (entries.length === 0) return <p className="muted">No claims.</p>
  return (
    <div className="table-wrap">
      <table className="table claims">
        <caption className="visually-hidden">Token claims</caption>
        <thead>
          <tr>
            <th scope="col">Claim</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">
                <code>{k}</code>
              </th>
              <td>
                {typeof v === 'object' && v !== null ? (
                  <pre className="inline-pre">{render(v)}</pre>
                ) : (
                  <code>{render(v)}</code>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
