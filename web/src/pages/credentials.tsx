import { useState, type FormEvent, type ReactNode } from 'react'
import { api, enc } from '../api/client'
import { environmentLabel, listAll, loadOrgTree, type OrgTree } from '../api/data'
import type { Credential, Environment } from '../api/types'
import {
  Empty,
  ErrorState,
  fieldError,
  FormError,
  formatDuration,
  Loading,
  PageHeader,
  Section,
  SelectField,
  TextField,
  Toggle,
} from '../ui/components'
import { useAsync } from '../ui/use-async'

const MIN_DURATION = 900
const MAX_DURATION = 43200
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/u

export function CredentialsPage({ orgId }: { orgId: string }): ReactNode {
  const [creds, reload] = useAsync(
    (signal) => listAll<Credential>(`/organizations/${enc(orgId)}/credentials`, signal),
    [orgId],
  )
  const [tree, reloadTree] = useAsync((signal) => loadOrgTree(orgId, signal), [orgId])
  // Servers that list `projectIds` on each credential need no per-project lookups.
  const needsLookup = creds.data?.some((c) => c.projectIds === undefined) ?? false
  const [assignments, reloadAssignments] = useAsync(
    async (signal) => {
      if (tree.data === undefined || !needsLookup) return new Map<string, string[]>()
      const map = new Map<string, string[]>()
      await Promise.all(
        tree.data.projects.map(async (p) => {
          const list = await listAll<Credential>(`/projects/${enc(p.id)}/credentials`, signal)
          for (const c of list) map.set(c.id, [...(map.get(c.id) ?? []), p.id])
        }),
      )
      return map
    },
    [tree.data, needsLookup],
  )
  return (
    <div className="page">
      <PageHeader
        title="Deployment credentials"
        description="An AWS OIDC credential names the role a deployment assumes with its token. No secret is stored: AWS trusts the token."
      />
      <Section title="Credentials">
        {creds.status === 'loading' && creds.data === undefined ? (
          <Loading label="Loading credentials…" />
        ) : creds.status === 'error' ? (
          <ErrorState error={creds.error} onRetry={reload} />
        ) : creds.data === undefined || creds.data.length === 0 ? (
          <Empty title="No credentials yet">
            Create an AWS OIDC credential below with the ARN of the role your deployments should
            assume, then assign it to projects.
          </Empty>
        ) : (
          <ul className="cred-list">
            {creds.data.map((c) => (
              <CredentialCard
                key={c.id}
                credential={c}
                tree={tree.data}
                assignedTo={
                  c.projectIds ??
                  (assignments.status === 'ready' ? (assignments.data.get(c.id) ?? []) : undefined)
                }
                onAssigned={() => {
                  reload()
                  reloadAssignments()
                }}
              />
            ))}
          </ul>
        )}
      </Section>
      <CreateCredential orgId={orgId} onCreated={reload} />
      <EnvironmentOverride
        tree={tree.data}
        treeError={tree.status === 'error' ? tree.error : undefined}
        onSaved={reloadTree}
      />
    </div>
  )
}

function CredentialCard({
  credential: c,
  tree,
  assignedTo,
  onAssigned,
}: {
  credential: Credential
  tree: OrgTree | undefined
  assignedTo: string[] | undefined
  onAssigned: () => void
}): ReactNode {
  const [projectId, setProjectId] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const projects = tree?.projects ?? []
  const assigned = new Set(c.projectIds ?? assignedTo ?? [])
  const selected =
    projectId === ''
      ? (projects.find((p) => !assigned.has(p.id))?.id ?? projects[0]?.id ?? '')
      : projectId
  const assign = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    if (selected === '') return
    setBusy(true)
    setError(null)
    setMessage(null)
    try {
      await api.put<undefined>(`/projects/${enc(selected)}/credentials/${enc(c.id)}`)
      setMessage(`Assigned to ${projects.find((p) => p.id === selected)?.name ?? selected}.`)
      onAssigned()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const title = c.name !== undefined && c.name !== '' ? c.name : c.roleArn
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
        {c.planRoleArn === undefined || c.planRoleArn === null ? null : (
          <>
            <dt>Plan role ARN</dt>
            <dd>
              <code>{c.planRoleArn}</code>
            </dd>
          </>
        )}
        {c.region === undefined || c.region === null ? null : (
          <>
            <dt>Region</dt>
            <dd>{c.region}</dd>
          </>
        )}
        {c.stsEndpoint === undefined || c.stsEndpoint === null ? null : (
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
        <dd>{c.refresh === true ? 'on' : 'off'}</dd>
        {assignedTo === undefined ? null : (
          <>
            <dt>Assigned to</dt>
            <dd data-testid="assigned-projects">
              {assignedTo.length === 0
                ? 'no project yet'
                : assignedTo.map((id) => projects.find((p) => p.id === id)?.name ?? id).join(', ')}
            </dd>
          </>
        )}
      </dl>
      {projects.length === 0 ? (
        <p className="muted">Create a project to assign this credential to it.</p>
      ) : (
        <form className="inline-form" onSubmit={(e) => void assign(e)}>
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
          <button type="submit" className="button secondary" disabled={busy}>
            Assign
          </button>
        </form>
      )}
      {message === null ? null : (
        <p role="status" className="saved">
          {message}
        </p>
      )}
      <FormError error={error} />
    </li>
  )
}

function CreateCredential({
  orgId,
  onCreated,
}: {
  orgId: string
  onCreated: () => void
}): ReactNode {
  const [name, setName] = useState('')
  const [roleArn, setRoleArn] = useState('')
  const [duration, setDuration] = useState('3600')
  const [planRoleArn, setPlanRoleArn] = useState('')
  const [region, setRegion] = useState('us-east-1')
  const [stsEndpoint, setStsEndpoint] = useState('')
  const [sessionTags, setSessionTags] = useState(true)
  const [refresh, setRefresh] = useState(true)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [created, setCreated] = useState<string | null>(null)
  const seconds = Number(duration)
  const durationWarning =
    Number.isFinite(seconds) && seconds > 3600 ? (
      <>
        {formatDuration(seconds)} is above AWS’s default MaxSessionDuration of 1 h: raise the role’s
        maximum session duration to at least {seconds} s, or AWS refuses with “not authorized to
        perform sts:AssumeRoleWithWebIdentity”.
      </>
    ) : (
      <>The duration must not exceed the role’s MaxSessionDuration (1 h unless you raised it).</>
    )
  const roleHint =
    roleArn !== '' && !ROLE_ARN.test(roleArn.trim())
      ? 'This does not look like an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>).'
      : undefined
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setCreated(null)
    const body: Record<string, unknown> = {
      type: 'aws-oidc',
      roleArn: roleArn.trim(),
      durationSeconds: duration.trim() === '' ? undefined : Number(duration),
      sessionTags,
      refresh,
    }
    body['name'] = name.trim()
    if (planRoleArn.trim() !== '') body['planRoleArn'] = planRoleArn.trim()
    if (region.trim() !== '') body['region'] = region.trim()
    if (stsEndpoint.trim() !== '') body['stsEndpoint'] = stsEndpoint.trim()
    try {
      const c = await api.post<Credential>(`/organizations/${enc(orgId)}/credentials`, body)
      setCreated(`Credential created (${c.id}). Assign it to a project above.`)
      setName('')
      setRoleArn('')
      setPlanRoleArn('')
      onCreated()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const fields = [
    'name',
    'type',
    'roleArn',
    'durationSeconds',
    'planRoleArn',
    'region',
    'stsEndpoint',
    'sessionTags',
    'refresh',
  ]
  return (
    <Section title="Create an AWS OIDC credential">
      <form
        className="form"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-label="Create an AWS OIDC credential"
      >
        <FormError error={error} fields={fields} />
        <TextField
          label="Name"
          name="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(error, 'name')}
          placeholder="production AWS"
        />
        <TextField
          label="Role ARN"
          name="roleArn"
          required
          spellCheck={false}
          placeholder="arn:aws:iam::123456789012:role/keyless-deployer"
          value={roleArn}
          onChange={(e) => setRoleArn(e.target.value)}
          error={fieldError(error, 'roleArn')}
          warning={roleHint}
          hint="The role deployments assume with AssumeRoleWithWebIdentity. Its trust policy must accept this organization's tokens (see OIDC & AWS setup)."
        />
        <div className="grid-2">
          <TextField
            label="Duration (seconds)"
            name="durationSeconds"
            type="number"
            inputMode="numeric"
            min={MIN_DURATION}
            max={MAX_DURATION}
            step={1}
            required
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
            error={fieldError(error, 'durationSeconds')}
            hint={`From ${MIN_DURATION} (15 min) to ${MAX_DURATION} (12 h); 3600 is the default.`}
            warning={durationWarning}
          />
          <TextField
            label="Region"
            name="region"
            value={region}
            onChange={(e) => setRegion(e.target.value)}
            error={fieldError(error, 'region')}
          />
        </div>
        <TextField
          label="Plan role ARN"
          name="planRoleArn"
          spellCheck={false}
          placeholder="arn:aws:iam::123456789012:role/keyless-plan-readonly"
          value={planRoleArn}
          onChange={(e) => setPlanRoleArn(e.target.value)}
          error={fieldError(error, 'planRoleArn')}
          hint="A read-only role used for plan deployments, so a plan can never change anything."
        />
        <TextField
          label="STS endpoint"
          name="stsEndpoint"
          spellCheck={false}
          placeholder="http://127.0.0.1:4566"
          value={stsEndpoint}
          onChange={(e) => setStsEndpoint(e.target.value)}
          error={fieldError(error, 'stsEndpoint')}
          hint="Leave empty for AWS. Set it for the keyless emulator or a regional endpoint."
        />
        <Toggle
          label="Session tags"
          checked={sessionTags}
          onChange={setSessionTags}
          hint="Adds the https://aws.amazon.com/tags claim (organizationId, projectId, environmentId…). The role's trust policy must then allow sts:TagSession."
        />
        <Toggle
          label="Refresh credentials during long runs"
          checked={refresh}
          onChange={setRefresh}
          hint="Serves credentials from the agent, re-minted before they expire, instead of fixed keys."
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Create credential
          </button>
          {created === null ? null : (
            <span role="status" className="saved">
              {created}
            </span>
          )}
        </div>
      </form>
    </Section>
  )
}

function EnvironmentOverride({
  tree,
  treeError,
  onSaved,
}: {
  tree: OrgTree | undefined
  treeError: unknown
  onSaved: () => void
}): ReactNode {
  const [envId, setEnvId] = useState('')
  const [value, setValue] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  if (treeError !== undefined)
    return (
      <Section title="Environment role override">
        <ErrorState error={treeError} />
      </Section>
    )
  if (tree === undefined)
    return (
      <Section title="Environment role override">
        <Loading label="Loading environments…" />
      </Section>
    )
  const envs = tree.environments
  const selected = envs.find((e) => e.id === envId) ?? envs[0]
  const current = value ?? selected?.roleArnOverride ?? ''
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    if (selected === undefined) return
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      await api.patch<Environment>(`/environments/${enc(selected.id)}`, {
        roleArnOverride: current.trim() === '' ? null : current.trim(),
      })
      setSaved(true)
      onSaved()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title="Environment role override">
      {envs.length === 0 ? (
        <Empty title="No environments yet">
          Create an environment in a project to override its role.
        </Empty>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <FormError error={error} fields={['roleArnOverride']} />
          <SelectField
            label="Environment"
            value={selected?.id ?? ''}
            onChange={(e) => {
              setEnvId(e.target.value)
              setValue(null)
              setSaved(false)
            }}
          >
            {envs.map((env) => (
              <option key={env.id} value={env.id}>
                {environmentLabel(env)}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Role ARN override"
            name="roleArnOverride"
            spellCheck={false}
            placeholder="arn:aws:iam::210987654321:role/other-account-deployer"
            value={current}
            onChange={(e) => setValue(e.target.value)}
            error={fieldError(error, 'roleArnOverride')}
            hint="Empty to use the assigned credential's role. The override is recorded in the audit log with its source."
          />
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy}>
              Save override
            </button>
            {saved ? (
              <span role="status" className="saved">
                Saved
              </span>
            ) : null}
          </div>
        </form>
      )}
    </Section>
  )
}
