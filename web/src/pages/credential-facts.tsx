import type { ReactNode } from 'react'
import type { Credential } from '../api/types'
import { formatDuration } from '../ui/formatting'

/** The badge of each credential type. */
export const CREDENTIAL_BADGE: Readonly<Record<Credential['type'], string>> = {
  'aws-oidc': 'AWS OIDC',
  'azure-oidc': 'Azure OIDC',
  'gcp-oidc': 'GCP OIDC',
}

type Fact = readonly [label: string, value: ReactNode]

const code = (v: string): ReactNode => <code>{v}</code>
const optional = (label: string, v: string | null, show = code): Fact[] =>
  v === null || v === '' ? [] : [[label, show(v)]]

/** What a credential card shows of each type, label and value, in order. */
export function credentialFacts(c: Credential): Fact[] {
  const subject = optional('Subject template', c.subjectTemplate)
  if (c.type === 'azure-oidc')
    return [
      ['Tenant', code(c.tenantId)],
      ['Client (application) id', code(c.clientId)],
      ...optional('Plan client id', c.planClientId),
      ['Subscription', code(c.subscriptionId)],
      ['Audience', code(c.audience)],
      ['Authority', code(c.authorityHost)],
      ...subject,
    ]
  if (c.type === 'gcp-oidc')
    return [
      ['Project', code(`${c.gcpProjectId} (${c.projectNumber})`)],
      ['Pool / provider', code(`${c.poolId} / ${c.providerId}`)],
      ...optional('Service account', c.serviceAccountEmail),
      ...optional('Plan service account', c.planServiceAccountEmail),
      ['Access token lifetime', `${formatDuration(c.tokenLifetimeSeconds)}`],
      ['Audience', code(c.audience)],
      ...optional('STS endpoint', c.stsEndpoint),
      ...optional('IAM Credentials endpoint', c.iamCredentialsEndpoint),
      ...subject,
    ]
  return [
    ['Role ARN', code(c.roleArn)],
    ['Duration', `${formatDuration(c.durationSeconds)} (${c.durationSeconds} s)`],
    ...optional('Plan role ARN', c.planRoleArn),
    ...optional('Region', c.region, (v) => v),
    ...optional('STS endpoint', c.stsEndpoint),
    ['Session tags', c.sessionTags ? 'on' : 'off'],
    ['Refresh', c.refresh ? 'on' : 'off'],
    ...subject,
  ]
}
