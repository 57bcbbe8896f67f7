import { useState, type ReactNode } from 'react'
import { credentials } from '../api/credentials'
import { environments } from '../api/environments'
import { environmentLabel, loadOrgTree, type OrgTree } from '../api/org-tree'
import { Empty, ErrorState, Loading } from '../ui/feedback'
import { SelectField, TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { PageHeader, Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'
import { CredentialCard } from './credential-card'
import { CreateCredential } from './credential-form'

export function CredentialsPage({ orgId }: { orgId: string }): ReactNode {
  const [creds, reload] = useAsync((signal) => credentials.list(orgId, signal), [orgId])
  const [tree, reloadTree] = useAsync((signal) => loadOrgTree(orgId, signal), [orgId])
  return (
    <div className="page">
      <PageHeader
        title="Deployment credentials"
        description="A credential names what a deployment federates with in each cloud: an AWS role, an Azure application, a GCP workload identity provider. No secret is stored: the cloud trusts the token. A project may have one credential per cloud."
      />
      <Section title="Credentials">
        {creds.status === 'loading' && creds.data === undefined ? (
          <Loading label="Loading credentials…" />
        ) : creds.status === 'error' ? (
          <ErrorState error={creds.error} onRetry={reload} />
        ) : creds.data === undefined || creds.data.length === 0 ? (
          <Empty title="No credentials yet">
            Create a credential below for the cloud your deployments work in (an AWS role, an Azure
            application, a GCP workload identity provider), then assign it to projects.
          </Empty>
        ) : (
          <ul className="cred-list">
            {creds.data.map((c) => (
              <CredentialCard key={c.id} credential={c} tree={tree.data} onAssigned={reload} />
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
  const m = useMutation()
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
  const submit = (): void => {
    if (selected === undefined) return
    void m.run(async () => {
      await environments.update(selected.id, {
        roleArnOverride: current.trim() === '' ? null : current.trim(),
      })
      onSaved()
      return 'Saved'
    })
  }
  return (
    <Section title="Environment role override">
      {envs.length === 0 ? (
        <Empty title="No environments yet">
          Create an environment in a project to override its role.
        </Empty>
      ) : (
        <MutationForm
          mutation={m}
          onSubmit={submit}
          fields={['roleArnOverride']}
          submitLabel="Save override"
        >
          <SelectField
            label="Environment"
            value={selected?.id ?? ''}
            onChange={(e) => {
              setEnvId(e.target.value)
              setValue(null)
              m.reset()
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
            error={m.fieldError('roleArnOverride')}
            hint="Empty to use the assigned credential's role. The override is recorded in the audit log with its source."
          />
        </MutationForm>
      )}
    </Section>
  )
}
