import type { ReactNode } from 'react'
import { Fragment, useState } from 'react'
import { CREDENTIAL_BADGE, credentialFacts } from './credential-facts'
import { enc } from '../api/client'
import { credentials } from '../api/credentials'
import type { OrgTree } from '../api/org-tree'
import type { Credential } from '../api/types'
import { Link } from '../router'
import { SelectField } from '../ui/fields'
import { MutationStatus } from '../ui/form'
import { useMutation } from '../ui/use-mutation'

export function CredentialCard({
  credential: c,
  tree,
  onAssigned,
}: {
  credential: Credential
  tree: OrgTree | undefined
  onAssigned: () => void
}): ReactNode {
  const [projectId, setProjectId] = useState('')
  const m = useMutation()
  const projects = tree?.projects ?? []
  const assigned = new Set(c.projectIds)
  const selected =
    projectId === ''
      ? (projects.find((p) => !assigned.has(p.id))?.id ?? projects[0]?.id ?? '')
      : projectId
  const assign = (): void => {
    if (selected === '') return
    void m.run(async () => {
      await credentials.assign(selected, c.id)
      onAssigned()
      return `Assigned to ${projects.find((p) => p.id === selected)?.name ?? selected}.`
    })
  }
  const title = c.name
  return (
    <li className="cred-card">
      <div className="cred-head">
        <h3>{title}</h3>
        <span className="badge tone-info">{CREDENTIAL_BADGE[c.type]}</span>
      </div>
      <dl className="facts">
        {credentialFacts(c).map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
        <dt>Assigned to</dt>
        <dd data-testid="assigned-projects">
          {c.projectIds.length === 0
            ? 'no project yet'
            : c.projectIds.map((id) => projects.find((p) => p.id === id)?.name ?? id).join(', ')}
        </dd>
      </dl>
      {c.type === 'azure-oidc' ? (
        <p className="muted small">
          Entra must trust its subjects: see{' '}
          <Link to={`/orgs/${enc(c.organizationId)}/azure`}>Azure setup</Link> for the federated
          identity credentials its application needs.
        </p>
      ) : null}
      {c.type === 'gcp-oidc' ? (
        <p className="muted small">
          Google must trust its tokens: see{' '}
          <Link to={`/orgs/${enc(c.organizationId)}/gcp`}>GCP setup</Link> for the workload identity
          provider and service account binding it needs.
        </p>
      ) : null}
      {projects.length === 0 ? (
        <p className="muted">Create a project to assign this credential to it.</p>
      ) : (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault()
            assign()
          }}
        >
          <SelectField
            label="Assign to project"
            value={selected}
            onChange={(e) => setProjectId(e.target.value)}
          >
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {assigned.has(p.id) ? ' (assigned)' : ''}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="button secondary" disabled={m.busy}>
            Assign
          </button>
        </form>
      )}
      <MutationStatus mutation={m} />
    </li>
  )
}
