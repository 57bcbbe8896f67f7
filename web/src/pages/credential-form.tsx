import { useId, useState, type ReactNode } from 'react'
import type { Credential } from '../api/types'
import { Section } from '../ui/layout'
import { AwsCredentialForm } from './credential-form-aws'
import { AzureCredentialForm } from './credential-form-azure'
import { GcpCredentialForm } from './credential-form-gcp'

type CloudType = Credential['type']

const CLOUDS: ReadonlyArray<readonly [CloudType, string, string]> = [
  ['aws-oidc', 'AWS', 'an IAM role, assumed with AssumeRoleWithWebIdentity'],
  [
    'azure-oidc',
    'Azure',
    'an Entra app registration or managed identity, through its federated credentials',
  ],
  ['gcp-oidc', 'GCP', 'a workload identity pool provider, and a service account to impersonate'],
]

/** The cloud to federate with, as a radio group; each cloud has its own fields. */
function CloudChoice({
  value,
  onChange,
}: {
  value: CloudType
  onChange: (type: CloudType) => void
}): ReactNode {
  const name = useId()
  return (
    <fieldset className="choice">
      <legend>Cloud</legend>
      {CLOUDS.map(([type, label, what]) => (
        <label key={type} className={value === type ? 'choice-option active' : 'choice-option'}>
          <input
            type="radio"
            name={name}
            value={type}
            checked={value === type}
            onChange={() => onChange(type)}
          />
          <span>
            <strong>{label}</strong>
            <span className="muted small"> {what}</span>
          </span>
        </label>
      ))}
    </fieldset>
  )
}

export function CreateCredential({
  orgId,
  onCreated,
}: {
  orgId: string
  onCreated: () => void
}): ReactNode {
  const [type, setType] = useState<CloudType>('aws-oidc')
  const props = { orgId, onCreated }
  return (
    <Section title="Create a credential">
      <CloudChoice value={type} onChange={setType} />
      {type === 'azure-oidc' ? (
        <AzureCredentialForm {...props} />
      ) : type === 'gcp-oidc' ? (
        <GcpCredentialForm {...props} />
      ) : (
        <AwsCredentialForm {...props} />
      )}
    </Section>
  )
}
