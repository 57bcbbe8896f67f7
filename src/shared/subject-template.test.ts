import { describe, expect, it } from 'vitest'
import { audienceProblems } from './audience.js'
import { DEFAULT_SUBJECT_TEMPLATE, validateSubjectTemplate } from './subject-template.js'

const ORG = 'org_0mhxk5q2e0001abcdefgh'
const OTHER = 'org_0mhxk5q2e0002zyxwvuts'

// Subject templates an organization admin might write: only those that start with the
// organization's own prefix and cannot spell another organization's are accepted.
const TEMPLATES: ReadonlyArray<readonly [string, boolean]> = [
  [DEFAULT_SUBJECT_TEMPLATE, true],
  ['org:{organizationId}', true],
  ['org:{organizationId}:env:{environmentId}', true],
  ['org:{organizationId}:v2:{projectId}/{environmentId}:{deploymentType}', true],
  ['org:{organizationId}:organization-wide:{projectId}', true],
  ['{organizationId}:{projectId}', false],
  ['v2:{organizationId}:{projectId}', false],
  ['project:{projectId}', false],
  [`org:${OTHER}:project:{projectId}`, false],
  ['org:{organizationId}{projectId}', false],
  ['org:{organizationId}x:{projectId}', false],
  ['org:{organizationId}_:{projectId}', false],
  ['ORG:{organizationId}:{projectId}', false],
  [' org:{organizationId}:{projectId}', false],
  [`org:{organizationId}:org:${OTHER}:{projectId}`, false],
  [`org:{organizationId}:${OTHER}:{projectId}`, false],
  ['org:{organizationId}:ORG:{projectId}', false],
  ['org:{organizationId}:Org_x:{projectId}', false],
  ['org:{organizationId}:{projectId}:org:', false],
]

const AUDIENCES: ReadonlyArray<readonly [string, boolean]> = [
  [`aws:${ORG}`, true],
  [`azure:${ORG}`, true],
  [`gcp:${ORG}`, true],
  ['sts.amazonaws.com', true],
  ['api://AzureADTokenExchange', true],
  ['my-company-prod', true],
  [`aws:${OTHER}`, false],
  [`azure:${OTHER}`, false],
  [`gcp:${OTHER}`, false],
  [`oci:${OTHER}`, false],
  [`AWS:${ORG}`, false],
  [`aws:${ORG}x`, false],
  [`aws:${ORG}:extra`, false],
  ['aws:org_', false],
  ['aws:ORG_x', false],
]

describe('tenant boundary of subjects and audiences', () => {
  it.each(TEMPLATES)('subject template %s → accepted %s', (template, ok) => {
    expect(validateSubjectTemplate(template).length === 0).toBe(ok)
  })

  it.each(AUDIENCES)('audience %s → accepted %s', (audience, ok) => {
    expect(audienceProblems(audience, ORG).length === 0).toBe(ok)
  })
})
