import { useState, type ReactNode } from 'react'
import { credentials, type GcpCredentialInput } from '../api/credentials'
import { TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { formatDuration } from '../ui/formatting'
import { useMutation } from '../ui/use-mutation'
import { optional } from './credential-body'

const FIELDS = [
  'name',
  'type',
  'projectNumber',
  'gcpProjectId',
  'poolId',
  'providerId',
  'serviceAccountEmail',
  'planServiceAccountEmail',
  'tokenLifetimeSeconds',
  'audience',
  'stsEndpoint',
  'iamCredentialsEndpoint',
] as const

type Values = Record<(typeof FIELDS)[number], string>
const EMPTY = { ...Object.fromEntries(FIELDS.map((f) => [f, ''])), tokenLifetimeSeconds: '3600' }

const MIN_LIFETIME = 600
const MAX_LIFETIME = 43200

function bodyOf(v: Values): GcpCredentialInput {
  const lifetime = v.tokenLifetimeSeconds.trim()
  return {
    type: 'gcp-oidc',
    name: v.name.trim(),
    projectNumber: v.projectNumber.trim(),
    gcpProjectId: v.gcpProjectId.trim(),
    poolId: v.poolId.trim(),
    providerId: v.providerId.trim(),
    ...optional('serviceAccountEmail', v.serviceAccountEmail),
    ...optional('planServiceAccountEmail', v.planServiceAccountEmail),
    ...(lifetime === '' ? {} : { tokenLifetimeSeconds: Number(lifetime) }),
    ...optional('audience', v.audience),
    ...optional('stsEndpoint', v.stsEndpoint),
    ...optional('iamCredentialsEndpoint', v.iamCredentialsEndpoint),
  }
}

/**
 * The fields of a GCP OIDC credential: the workload identity pool and provider that trust this
 * organization's tokens, and the service account to impersonate (if any).
 */
export function GcpCredentialForm({
  orgId,
  onCreated,
}: {
  orgId: string
  onCreated: () => void
}): ReactNode {
  const [v, setV] = useState<Values>(EMPTY as Values)
  const m = useMutation()
  const field = (name: keyof Values) => ({
    name,
    value: v[name],
    onChange: (e: { target: { value: string } }) => setV({ ...v, [name]: e.target.value }),
    error: m.fieldError(name),
    spellCheck: false,
  })
  const lifetime = Number(v.tokenLifetimeSeconds)
  const submit = (): void =>
    void m.run(async () => {
      const c = await credentials.create(orgId, bodyOf(v))
      setV(EMPTY as Values)
      onCreated()
      return `Credential created (${c.id}). Assign it to a project above, then set up its provider and binding (GCP setup).`
    })
  return (
    <MutationForm
      mutation={m}
      onSubmit={submit}
      label="Create a GCP OIDC credential"
      fields={FIELDS}
      submitLabel="Create credential"
    >
      <TextField label="Name" required placeholder="production GCP" {...field('name')} />
      <div className="grid-2">
        <TextField
          label="Project number"
          required
          inputMode="numeric"
          placeholder="123456789012"
          hint="The number of the project that holds the workload identity pool."
          {...field('projectNumber')}
        />
        <TextField
          label="Project ID"
          required
          placeholder="my-project"
          hint="The Google Cloud project id (GOOGLE_CLOUD_PROJECT of the steps)."
          {...field('gcpProjectId')}
        />
        <TextField label="Pool ID" required placeholder="keyless" {...field('poolId')} />
        <TextField
          label="Provider ID"
          required
          placeholder="keyless-oidc"
          {...field('providerId')}
        />
      </div>
      <TextField
        label="Service account email"
        placeholder="deployer@my-project.iam.gserviceaccount.com"
        hint="Impersonated with generateAccessToken. Empty: the federated token is used directly (direct resource access)."
        {...field('serviceAccountEmail')}
      />
      <TextField
        label="Plan service account email"
        placeholder="planner@my-project.iam.gserviceaccount.com"
        hint="A read-only service account for the plan phase of Terraform deployments."
        {...field('planServiceAccountEmail')}
      />
      <div className="grid-2">
        <TextField
          label="Access token lifetime (seconds)"
          type="number"
          inputMode="numeric"
          min={MIN_LIFETIME}
          max={MAX_LIFETIME}
          step={1}
          hint={`From ${MIN_LIFETIME} to ${MAX_LIFETIME}; 3600 is the default.`}
          warning={
            Number.isFinite(lifetime) && lifetime > 3600
              ? `${formatDuration(lifetime)} is above Google’s 1 h: impersonation refuses it unless an organization policy allows longer lifetimes for the service account.`
              : undefined
          }
          {...field('tokenLifetimeSeconds')}
        />
        <TextField
          label="Audience"
          placeholder={`gcp:${orgId}`}
          hint={
            <>
              One of the provider’s allowed audiences. Empty: <code>gcp:{orgId}</code>.
            </>
          }
          {...field('audience')}
        />
      </div>
      <TextField
        label="STS endpoint"
        placeholder="http://127.0.0.1:4568"
        hint="Empty for Google. Set it for the keyless emulator."
        {...field('stsEndpoint')}
      />
      <TextField
        label="IAM Credentials endpoint"
        placeholder="http://127.0.0.1:4568"
        hint="Empty for Google. Set it for the keyless emulator."
        {...field('iamCredentialsEndpoint')}
      />
    </MutationForm>
  )
}
