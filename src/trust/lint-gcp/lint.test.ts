import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lintProviders } from './lint.js'
import { GCP_LINT_RULES } from './rules.js'
import type { GcpLintOptions } from './types.js'

const file = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'trust',
  'lint-gcp',
  'cases.json',
)
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as {
  cases: Array<{
    name: string
    source: string
    options: GcpLintOptions
    input: unknown
    expect: string[]
  }>
}

describe('lintProviders: cases (test/fixtures/trust/lint-gcp/cases.json)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(c.source.length).toBeGreaterThan(5)
    const result = lintProviders(JSON.stringify(c.input), c.options)
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual([...c.expect].sort())
    for (const f of result.findings) {
      expect(f.message).not.toBe('')
      expect(f.fix).not.toBe('')
    }
    expect(result.summary.errors).toBe(result.findings.length)
  })

  it('every rule is exercised by a case', () => {
    const fired = new Set(cases.flatMap((c) => c.expect))
    expect(GCP_LINT_RULES.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([])
  })
})

describe('lintProviders: messages and input', () => {
  it('GCP03 names the bytes and a template that fits', () => {
    const [f] = lintProviders(
      JSON.stringify({
        name: 'p',
        oidc: {},
        attributeMapping: { 'google.subject': 'assertion.sub' },
        attributeCondition: 'true',
      }),
      {
        subjectTemplate:
          'org:{organizationId}:project:{projectId}:environment:{environmentId}:template:{templateId}:deployment:{deploymentId}',
      },
    ).findings
    expect(f?.ruleId).toBe('GCP03')
    expect(f?.message).toMatch(/reaches 1\d\d bytes/u)
    expect(f?.fix).toContain(
      'template org:{organizationId}:project:{projectId}:environment:{environmentId} (PATCH',
    )
  })

  it.each([['not json'], ['42'], ['{}'], ['{"providers": 3}']])(
    'refuses %s as input_unreadable',
    (text) => {
      expect(() => lintProviders(text)).toThrow(/not workload identity providers/u)
    },
  )
})
