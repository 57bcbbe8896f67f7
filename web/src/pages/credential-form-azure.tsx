import { useState, type ReactNode } from 'react'
import { AZURE_DEFAULT_SUBJECT_TEMPLATE } from '../../../src/shared/subject-template.js'
import { credentials, type AzureCredentialInput } from '../api/credentials'
import { TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { useMutation } from '../ui/use-mutation'
import { azureTemplateWarning, guidWarning, optional } from './credential-body'

const FIELDS = [
  'name',
  'type',
  'tenantId',
  'clientId',
  'subscriptionId',
  'planClientId',
  'audience',
  'authorityHost',
  'subjectTemplate',
] as const

const MAX_AUDIENCE = 600

type Values = Record<(typeof FIELDS)[number], string>
const EMPTY = Object.fromEntries(FIELDS.map((f) => [f, ''])) as Values

function bodyOf(v: Values): AzureCredentialInput {
  return {
    type: 'azure-oidc',
    name: v.name.trim(),
    tenantId: v.tenantId.trim(),
    clientId: v.clientId.trim(),
    subscriptionId: v.subscriptionId.trim(),
    ...optional('planClientId', v.planClientId),
    ...optional('audience', v.audience),
    ...optional('authorityHost', v.authorityHost),
    ...optional('subjectTemplate', v.subjectTemplate),
  }
}

/**
 * The fields of an Azure OIDC credential: the Entra tenant, the application (or user-assigned
 * managed identity) whose federated credentials trust this organization's tokens, the audience
 * and subject those tokens carry.
 */
export function AzureCredentialForm({
  orgId,
  onCreated,
}: {
  orgId: string
  onCreated: () => void
}): ReactNode {
  const [v, setV] = useState<Values>(EMPTY)
  const m = useMutation()
  const field = (name: keyof Values) => ({
    name,
    value: v[name],
    onChange: (e: { target: { value: string } }) => setV({ ...v, [name]: e.target.value }),
    error: m.fieldError(name),
    spellCheck: false,
  })
  const authority = v.authorityHost.trim()
  const audience = v.audience.trim()
  const submit = (): void =>
    void m.run(async () => {
      const c = await credentials.create(orgId, bodyOf(v))
      setV(EMPTY)
      onCreated()
      return `Credential created (${c.id}). Assign it to a project above, then set up its federated credentials (Azure setup).`
    })
  return (
    <MutationForm
      mutation={m}
      onSubmit={submit}
      label="Create an Azure OIDC credential"
      fields={FIELDS}
      submitLabel="Create credential"
    >
      <TextField label="Name" required placeholder="production Azure" {...field('name')} />
      <div className="grid-2">
        <TextField
          label="Tenant ID"
          required
          placeholder="8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10"
          hint="The directory (tenant) id of the Entra tenant."
          warning={guidWarning(v.tenantId, 'a tenant id')}
          {...field('tenantId')}
        />
        <TextField
          label="Subscription ID"
          required
          placeholder="99999999-8888-4777-8666-555555555555"
          hint="The subscription azurerm and az work in."
          warning={guidWarning(v.subscriptionId, 'a subscription id')}
          {...field('subscriptionId')}
        />
      </div>
      <TextField
        label="Client ID"
        required
        placeholder="00000000-0000-4000-8000-000000000001"
        hint="The application (client) id of the app registration, or the client id of a user-assigned managed identity. Its federated identity credentials must trust this organization’s tokens (see Azure setup)."
        warning={guidWarning(v.clientId, 'a client id')}
        {...field('clientId')}
      />
      <TextField
        label="Plan client ID"
        placeholder="00000000-0000-4000-8000-000000000002"
        hint="A read-only identity for the plan phase of Terraform deployments; it needs its own federated credentials."
        warning={guidWarning(v.planClientId, 'a client id')}
        {...field('planClientId')}
      />
      <TextField
        label="Audience"
        placeholder={`azure:${orgId}`}
        hint={
          <>
            The <code>aud</code> of the Azure token and the single audience of each federated
            credential. Empty: <code>azure:{orgId}</code>.
          </>
        }
        warning={
          audience.length > MAX_AUDIENCE
            ? `Entra keeps at most ${MAX_AUDIENCE} characters of an audience (this one has ${audience.length}).`
            : undefined
        }
        {...field('audience')}
      />
      <TextField
        label="Authority host"
        placeholder="https://login.microsoftonline.com"
        hint="Empty for Microsoft Entra ID. Set it for the keyless emulator (https://127.0.0.1:4567) or a sovereign cloud."
        warning={
          authority.startsWith('http://')
            ? 'Azure clients refuse an http authority: use https.'
            : undefined
        }
        {...field('authorityHost')}
      />
      <TextField
        label="Subject template"
        placeholder={AZURE_DEFAULT_SUBJECT_TEMPLATE}
        hint="Entra matches sub exactly, with at most 20 federated credentials per application. Empty: one subject per environment (the template shown)."
        warning={azureTemplateWarning(v.subjectTemplate)}
        {...field('subjectTemplate')}
      />
    </MutationForm>
  )
}
