import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import {
  lintJson,
  lintSarif,
  lintText,
  lintTrustPolicy,
  LINT_RULES,
} from '../../src/trust/index.js'
import { REPO_ROOT } from '../support/cli.js'

const fixtures = join(REPO_ROOT, 'test', 'fixtures', 'trust')
const read = (name: string): string => readFileSync(join(fixtures, 'lint', name), 'utf8')
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

describe('lint output formats', () => {
  const result = lintTrustPolicy(read('duplicate-string-equals.json'))

  it('JSON has exactly the docs/architecture.md §9 shape', () => {
    const out = JSON.parse(lintJson(result))
    expect(Object.keys(out)).toEqual(['findings', 'summary'])
    expect(Object.keys(out.summary)).toEqual(['errors', 'warnings', 'infos'])
    for (const f of out.findings)
      expect(Object.keys(f)).toEqual(['ruleId', 'severity', 'message', 'statement', 'key', 'fix'])
    expect(out.summary).toEqual({ errors: 2, warnings: 0, infos: 0 })
    expect(out.findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['L01', 'L07'])
  })

  it('text names file, line, severity, rule and the fix', () => {
    const text = lintText(result, 'trust.json')
    expect(text).toMatch(/^trust\.json:10:9 {2}error {2}L07 {2}/mu)
    expect(text).toContain('fix: Merge the "StringEquals" objects')
    expect(text).toMatch(/2 problems \(2 errors, 0 warnings, 0 infos\)\n$/u)
    expect(lintText(lintTrustPolicy(read('clean-environment-role.json')), 'x.json')).toBe(
      'x.json: no problems found\n',
    )
  })

  it('SARIF 2.1.0 is valid against the OASIS schema', () => {
    const schema = JSON.parse(readFileSync(join(fixtures, 'sarif-schema-2.1.0.json'), 'utf8'))
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }))
    const validate = ajv.compile(schema)
    const cases = [
      ['duplicate-string-equals.json', '<stdin>'],
      ['clean-environment-role.json', 'my policies/trust.json'],
      ['org-only.json', 'arn:aws:iam::123456789012:role/deploy'],
    ] as const
    for (const [name, file] of cases) {
      const log = JSON.parse(lintSarif(lintTrustPolicy(read(name), { duration: 7200 }), file))
      const ok = validate(log)
      expect(validate.errors ?? []).toEqual([])
      expect(ok).toBe(true)
      expect(log.version).toBe('2.1.0')
      expect(log.runs[0].tool.driver.rules).toHaveLength(LINT_RULES.length)
    }
    // The schema does reject what is not SARIF 2.1.0.
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false)
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false)
    const log = JSON.parse(lintSarif(result, 'p.json'))
    expect(log.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBeGreaterThan(0)
    expect(log.runs[0].results.map((r: { level: string }) => r.level)).toEqual(['error', 'error'])
  })
})

describe('lint: bad input is a clear error, never a crash', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['non-JSON', 'Version: 2012-10-17', /^not JSON/u],
    ['JSON that is not a policy', '{"name": "x", "items": [1, 2]}', /^not a policy/u],
    ['an array', '[1, 2, 3]', /^not a policy/u],
    ['binary garbage', '\u0000\u0001\u00ff\u0002PK\u0003\u0004', /binary/u],
    [
      '10,000 statements',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: Array.from({ length: 10000 }, () => ({
          Effect: 'Allow',
          Principal: '*',
          Action: 'sts:AssumeRole',
        })),
      }),
      /(statements|over the limit)/u,
    ],
  ]
  it.each(cases)('%s', (_name, text, message) => {
    let error: unknown
    try {
      lintTrustPolicy(text)
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ code: 'input_unreadable' })
    expect((error as Error).message).toMatch(message)
  })
})
