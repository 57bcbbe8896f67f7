import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lintProviders } from './lint.js'
import { GCP_LINT_RULES } from './rules.js'

const doc = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'docs', 'lint-rules.md'),
  'utf8',
)
const OPTIONS = { organizationId: 'org_1a2b3c' }
/** GCP03 is linted with a template that can exceed 127 bytes. */
const GCP03_OPTIONS = {
  ...OPTIONS,
  subjectTemplate:
    'org:{organizationId}:project:{projectId}:environment:{environmentId}:template:{templateId}:deployment:{deploymentId}',
}

function section(id: string): { heading: string; body: string; bad: string; good: string } {
  const start = doc.indexOf(`\n## ${id} `)
  expect(start, `docs/lint-rules.md has a section for ${id}`).toBeGreaterThan(0)
  const end = doc.indexOf('\n## ', start + 1)
  const body = doc.slice(start, end < 0 ? undefined : end)
  const example = (label: string): string => {
    const m = new RegExp(`\\n${label}:\\n\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``, 'u').exec(body)
    expect(m, `${id} has a ${label} example`).not.toBeNull()
    return m?.[1] ?? ''
  }
  return { heading: body.split('\n')[1] ?? '', body, bad: example('Bad'), good: example('Good') }
}

describe('docs/lint-rules.md, Google Cloud workload identity providers', () => {
  it.each(GCP_LINT_RULES.map((r) => [r.id, r] as const))(
    '%s: a row, a section; the bad example fires, the good is clean',
    (id, rule) => {
      expect(doc).toContain(
        `| [${id}](#${id.toLowerCase()}-${rule.name}) | ${rule.name} | ${rule.severity} |`,
      )
      const { heading, body, bad, good } = section(id)
      expect(heading).toBe(`## ${id} ${rule.name}`)
      expect(body).toContain(`Severity: **${rule.severity}**. ${rule.title}`)
      const options = id === 'GCP03' ? GCP03_OPTIONS : OPTIONS
      expect(lintProviders(bad, options).findings.map((f) => f.ruleId)).toEqual([id])
      expect(lintProviders(good, options).findings).toEqual([])
    },
  )
})
