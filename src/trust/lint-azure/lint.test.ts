import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lintFics } from './lint.js'
import { AZURE_LINT_RULES } from './rules.js'
import type { AzureLintOptions } from './types.js'

const file = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'trust',
  'lint-azure',
  'cases.json',
)
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as {
  cases: Array<{
    name: string
    source: string
    options: AzureLintOptions
    input: unknown
    expect: string[]
  }>
}

describe('lintFics: cases (test/fixtures/trust/lint-azure/cases.json)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(c.source.length).toBeGreaterThan(5)
    const result = lintFics(JSON.stringify(c.input), c.options)
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual([...c.expect].sort())
    for (const f of result.findings) {
      expect(f.message).not.toBe('')
      expect(f.fix).not.toBe('')
    }
    expect(result.summary.errors).toBe(result.findings.length)
  })

  it('every rule is exercised by a case', () => {
    const fired = new Set(cases.flatMap((c) => c.expect))
    expect(AZURE_LINT_RULES.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([])
  })
})

describe('lintFics: messages', () => {
  const ISS = 'https://keyless.example.com'
  const lint = (fic: Record<string, unknown>, options: AzureLintOptions = { issuer: ISS }) =>
    lintFics(
      JSON.stringify({
        value: [
          {
            name: 'f',
            issuer: ISS,
            subject: 'org:org_a:project:p:environment:e',
            audiences: ['azure:org_a'],
            ...fic,
          },
        ],
      }),
      options,
    ).findings
  it.each([
    [{ issuer: `${ISS}/` }, 'it has a trailing slash'],
    [{ issuer: 'http://keyless.example.com' }, 'its scheme is http, not https'],
    [{ issuer: 'https://KEYLESS.example.com' }, 'its case differs'],
    [{ issuer: ` ${ISS}` }, 'it has whitespace around it'],
  ])('AZ01 names what differs: %j', (fic, reason) => {
    const [f] = lint(fic)
    expect(f?.ruleId).toBe('AZ01')
    expect(f?.message).toContain(reason)
    expect(f?.key).toBe('issuer')
    expect(f?.statement).toBe('f')
  })

  it('AZ03 names the organization of the tokens', () => {
    const [f] = lint({ subject: 'org:org_b:project:p:environment:e' }, { organizationId: 'org_a' })
    expect(f?.message).toContain('it is not under org:org_a:')
    expect(f?.fix).toBe(
      'If org_b is your organization, lint with --organization org_b. Otherwise, use the subject an environment’s token carries (GET /api/v1/environments/{id}/oidc-preview?cloud=azure), or give the credential the subject template this was written for (--subject-template).',
    )
  })

  it('AZ04 explains Entra’s default audience', () => {
    const [f] = lint({ audiences: ['api://AzureADTokenExchange'] }, { organizationId: 'org_a' })
    expect(f?.message).toContain("api://AzureADTokenExchange is Entra's default")
    expect(f?.fix).toBe(
      'Set "audiences": ["azure:org_a"], or the credential\'s audience to "api://AzureADTokenExchange" (PATCH /api/v1/credentials/{id}).',
    )
  })

  it.each([
    ['not JSON', '{'],
    ['a number', '3'],
    ['an object without credentials', '{"a":1}'],
    ['value not an array', '{"value":{}}'],
    ['an item not an object', '{"value":[1]}'],
    ['too many', JSON.stringify({ value: Array.from({ length: 1001 }, () => ({})) })],
  ])('unreadable input: %s', (_name, text) => {
    expect(() => lintFics(text)).toThrow(/^not federated identity credentials: /u)
  })
})
