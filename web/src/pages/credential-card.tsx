import type { ReactNode } from 'react'
import { useState } from 'react'
import { credentials } from '../api/credentials'
import type { OrgTree } from '../api/org-tree'
import type { Credential } from '../api/types'
import { SelectField } from '../ui/fields'
import { formatDuration } from '../ui/formatting'
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
  const title = c.name !== '' ? c.name : c.roleArn
  return (
    <li className="cred-card">
      <div className="cred-head">
        <h3>{title}</h3>
        <span className="badge tone-info">AWS OIDC</span>
      </div>
      <dl className="facts">
        <dt>Role ARN</dt>
        <dd>
          <code>{c.roleArn}</code>
        </dd>
        <dt>Duration</dt>
        <dd>
          {formatDuration(c.durationSeconds)} ({c.durationSeconds} s)
        </dd>
        {c.planRoleArn === null ? null : (
          <>
            <dt>Plan role ARN</dt>
            <dd>
              <code>{c.planRoleArn}</code>
            </dd>
          </>
        )}
        {c.region === '' ? null : (
          <>
            <dt>Region</dt>
            <dd>{c.region}</dd>
          </>
        )}
        {c.stsEndpoint === null ? null : (
          <>
            <dt>STS endpoint</dt>
            <dd>
              <code>{c.stsEndpoint}</code>
            </dd>
          </>
        )}
        <dt>Session tags</dt>
        <dd>{c.sessionTags ? 'on' : 'off'}</dd>
        <dt>Refresh</dt>
        <dd>{c.refresh ? 'on' : 'off'}</dd>
        <dt>Assigned to</dt>
        <dd data-testid="assigned-projects">
          {c.projectIds.length === 0
            ? 'no project yet'
            : c.projectIds.map((id) => projects.find((p) => p.id === id)?.name ?? id).join(', ')}
        </dd>
      </dl>
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
