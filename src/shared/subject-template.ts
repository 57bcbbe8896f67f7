/**
 * Subject templates: how an organization's tokens spell `sub`. Placeholders are the ids of the
 * deployment's scope. The default is ID-based so that renaming never changes a subject.
 */
export const SUBJECT_PLACEHOLDERS = [
  'organizationId',
  'projectId',
  'environmentId',
  'templateId',
  'deploymentType',
  'deploymentId',
  'runPhase',
] as const
export type SubjectPlaceholder = (typeof SUBJECT_PLACEHOLDERS)[number]

/** Every subject starts with this: only the organization itself can produce its own prefix. */
export const SUBJECT_PREFIX = 'org:{organizationId}'

/**
 * The default subject of an Azure credential: without the deployment type or run phase, so one
 * federated credential (Entra matches `sub` exactly, at most 20 per application) covers an
 * environment (docs/azure.md).
 */
export const AZURE_DEFAULT_SUBJECT_TEMPLATE =
  'org:{organizationId}:project:{projectId}:environment:{environmentId}'

/** Google keeps at most 127 bytes of `google.subject` (docs/gcp.md). */
export const GCP_MAX_SUBJECT_BYTES = 127

export const DEFAULT_SUBJECT_TEMPLATE =
  'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}'

export type SubjectValues = Readonly<Record<SubjectPlaceholder, string>>

const PLACEHOLDER = /\{([^{}]*)\}/gu

/** Literal text that could read as an organization's prefix (`org:…`) or id (`org_…`). */
const FOREIGN_PREFIX = /org[:_]/iu

/**
 * The tenant boundary of a subject: it starts with `org:{organizationId}` followed by `:` or
 * nothing, and no literal text after it could read as another organization's prefix, so no
 * organization can render a subject under another's (docs/security.md).
 */
function boundaryProblems(template: string): string[] {
  const next = template.charAt(SUBJECT_PREFIX.length)
  if (!template.startsWith(SUBJECT_PREFIX) || (next !== '' && next !== ':'))
    return [
      `must start with ${SUBJECT_PREFIX} followed by : or nothing (the organization's own prefix), e.g. ${DEFAULT_SUBJECT_TEMPLATE}`,
    ]
  const literal = template.slice(SUBJECT_PREFIX.length).replace(PLACEHOLDER, '{}')
  if (FOREIGN_PREFIX.test(literal))
    return [
      'must not contain the literal text org: or org_ after the prefix (it could read as another organization)',
    ]
  return []
}

/** Problems with a template, as messages; empty when valid. */
export function validateSubjectTemplate(template: string): string[] {
  const problems: string[] = []
  if (template.length === 0) problems.push('must not be empty')
  if (template.length > 512) problems.push('must be at most 512 characters')
  let found = 0
  for (const m of template.matchAll(PLACEHOLDER)) {
    found++
    const name = m[1] ?? ''
    if (!(SUBJECT_PLACEHOLDERS as readonly string[]).includes(name))
      problems.push(
        `unknown placeholder {${name}} (allowed: ${SUBJECT_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')})`,
      )
  }
  const stripped = template.replace(PLACEHOLDER, '')
  if (/[{}]/u.test(stripped)) problems.push('has an unbalanced { or }')
  if (found === 0 && template.length > 0)
    problems.push(
      'must contain at least one placeholder (a constant subject cannot tell deployments apart)',
    )
  if (/[*?]/u.test(stripped))
    problems.push('must not contain * or ? (they are wildcards in StringLike)')
  if (template.length > 0) problems.push(...boundaryProblems(template))
  return problems
}

/** Renders a (valid) template with the given values. */
export function renderSubject(template: string, values: SubjectValues): string {
  return template.replace(
    PLACEHOLDER,
    (_, name: string) => values[name as SubjectPlaceholder] ?? '',
  )
}
