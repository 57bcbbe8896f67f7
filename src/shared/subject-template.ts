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
] as const
export type SubjectPlaceholder = (typeof SUBJECT_PLACEHOLDERS)[number]

export const DEFAULT_SUBJECT_TEMPLATE =
  'org:{organizationId}:project:{projectId}:environment:{environmentId}:type:{deploymentType}'

export type SubjectValues = Readonly<Record<SubjectPlaceholder, string>>

const PLACEHOLDER = /\{([^{}]*)\}/gu

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
  return problems
}

/** Renders a (valid) template with the given values. */
export function renderSubject(template: string, values: SubjectValues): string {
  return template.replace(
    PLACEHOLDER,
    (_, name: string) => values[name as SubjectPlaceholder] ?? '',
  )
}
