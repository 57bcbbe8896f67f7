import type { ReactNode } from 'react'
import { environmentLabel, type OrgTree } from '../api/org-tree'
import type { AzureSetupResponse } from '../api/types'

type Setup = AzureSetupResponse

/** Each environment's Azure token subjects, by application (the plan client for the plan phase). */
export function SubjectsTable({
  setup,
  tree,
}: {
  setup: Setup
  tree: OrgTree | undefined
}): ReactNode {
  const name = (id: string): string => {
    const env = tree?.environments.find((e) => e.id === id)
    return env === undefined ? id : environmentLabel(env)
  }
  return (
    <div className="table-wrap">
      <table className="table stack fics" aria-label="Subjects per environment">
        <thead>
          <tr>
            <th scope="col">Environment</th>
            <th scope="col">Application</th>
            <th scope="col">Subject</th>
            <th scope="col">Run phases</th>
          </tr>
        </thead>
        <tbody>
          {setup.environments.flatMap((env) =>
            env.subjects.map((s) => (
              <tr key={`${env.credentialId}/${env.environmentId}/${s.clientId}/${s.subject}`}>
                <td data-label="Environment">{name(env.environmentId)}</td>
                <td data-label="Application">
                  <code>{s.clientId}</code>
                </td>
                <td data-label="Subject">
                  <code className="wrap">{s.subject}</code>
                </td>
                <td data-label="Run phases">{s.runPhases.join(', ')}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  )
}

/** The federated identity credentials each application needs, counted against Entra's 20. */
export function FicTables({ setup }: { setup: Setup }): ReactNode {
  return (
    <>
      {setup.applications.map((app) => (
        <div key={app.clientId} className="fic-app">
          <h3>
            {app.role === 'plan' ? 'Plan application' : 'Application'} <code>{app.clientId}</code>:{' '}
            <span className={app.count > app.limit ? 'over-limit' : undefined}>
              {app.count} of {app.limit}
            </span>
          </h3>
          <div className="table-wrap">
            <table
              className="table stack fics"
              aria-label={`Federated credentials of ${app.clientId}`}
            >
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Audience</th>
                </tr>
              </thead>
              <tbody>
                {app.federatedIdentityCredentials.map((f) => (
                  <tr key={f.name}>
                    <td data-label="Name">
                      <code className="wrap">{f.name}</code>
                    </td>
                    <td data-label="Subject">
                      <code className="wrap">{f.subject}</code>
                    </td>
                    <td data-label="Audience">
                      <code>{f.audiences.join(', ')}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </>
  )
}
