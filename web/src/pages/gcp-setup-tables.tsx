import type { ReactNode } from 'react'
import type { GcpSetupResponse } from '../api/types'
import { CopyValue } from '../ui/copy'

type Setup = GcpSetupResponse

/** The OIDC providers Google needs: issuer, audiences, mapping and the condition pinning the organization. */
export function ProvidersTable({ setup }: { setup: Setup }): ReactNode {
  return (
    <div className="table-wrap">
      <table className="table stack fics" aria-label="Workload identity providers">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Allowed audiences</th>
            <th scope="col">Attribute mapping</th>
            <th scope="col">Attribute condition</th>
          </tr>
        </thead>
        <tbody>
          {setup.providers.map((p) => (
            <tr key={p.name}>
              <td data-label="Provider">
                <code className="wrap">{p.name}</code>
              </td>
              <td data-label="Allowed audiences">
                <code className="wrap">{p.allowedAudiences.join(', ')}</code>
              </td>
              <td data-label="Attribute mapping">
                {Object.entries(p.attributeMapping).map(([k, v]) => (
                  <div key={k}>
                    <code className="wrap">{k}</code> = <code className="wrap">{v}</code>
                  </div>
                ))}
              </td>
              <td data-label="Attribute condition">
                <code className="wrap">{p.attributeCondition}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The roles/iam.workloadIdentityUser bindings letting the pool's principals act as each service account. */
export function BindingsTable({ setup }: { setup: Setup }): ReactNode {
  return (
    <div className="table-wrap">
      <table className="table stack fics" aria-label="Service account bindings">
        <thead>
          <tr>
            <th scope="col">Service account</th>
            <th scope="col">Role</th>
            <th scope="col">Member</th>
          </tr>
        </thead>
        <tbody>
          {setup.bindings.map((b) => (
            <tr key={`${b.serviceAccountEmail}/${b.member}`}>
              <td data-label="Service account">
                <code className="wrap">{b.serviceAccountEmail}</code>
              </td>
              <td data-label="Role">
                <code className="wrap">{b.role}</code>
              </td>
              <td data-label="Member">
                <code className="wrap">{b.member}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Subjects Google would not keep (`google.subject` is at most 127 bytes), and the template that fits. */
export function TooLong({ setup }: { setup: Setup }): ReactNode {
  if (setup.tooLong.length === 0) return null
  return (
    <div className="banner danger" role="alert" data-testid="gcp-too-long">
      <strong>Subjects over Google’s 127 bytes.</strong>
      <ul>
        {setup.tooLong.map((t) => (
          <li key={`${t.credential}/${t.subject}`}>
            {t.message}
            {t.suggestedTemplate === null ? null : (
              <CopyValue value={t.suggestedTemplate} label="subject template that fits" />
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}
