import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LINT_RULES, lintTrustPolicy, ruleAnchor, type LintOptions } from '../../src/trust/index.js'
import { REPO_ROOT } from '../support/cli.js'

const doc = readFileSync(join(REPO_ROOT, 'docs', 'lint-rules.md'), 'utf8')
const BASE: LintOptions = { issuer: 'https://keyless.example.com', audience: 'aws:org_1a2b3c' }

interface Example {
  readonly text: string
  readonly options: LintOptions
}

function section(id: string): { heading: string; body: string; bad: Example; good: Example } {
  const start = doc.indexOf(`\n## ${id} `)
  expect(start, `docs/lint-rules.md has a section for ${id}`).toBeGreaterThan(0)
  const end = doc.indexOf('\n## ', start + 1)
  const body = doc.slice(start, end < 0 ? undefined : end)
  const example = (label: string): Example => {
    const m = new RegExp(
      `\\n${label}:\\n\\n(?:<!-- lint-options: (.*) -->\\n)?\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``,
      'u',
    ).exec(body)
    expect(m, `${id} has a ${label} example`).not.toBeNull()
    return { options: { ...BASE, ...JSON.parse(m?.[1] ?? '{}') }, text: m?.[2] ?? '' }
  }
  return { heading: body.split('\n')[1] ?? '', body, bad: example('Bad'), good: example('Good') }
}

describe('docs/lint-rules.md', () => {
  it.each(LINT_RULES.map((r) => [r.id, r] as const))(
    '%s: bad example fires, good is clean',
    (id, rule) => {
      const { heading, body, bad, good } = section(id)
      expect(heading).toBe(`## ${id} ${rule.name}`)
      expect(`#${ruleAnchor(rule)}`).toBe(`#${id.toLowerCase()}-${rule.name}`)
      expect(body).toContain(`Severity: **${rule.severity}**.`)
      const badIds = lintTrustPolicy(bad.text, bad.options).findings.map((f) => f.ruleId)
      expect(badIds).toContain(id)
      expect(lintTrustPolicy(good.text, good.options).findings).toEqual([])
    },
  )
})
