import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lintTrustPolicy } from '../../src/trust/index.js'
import { REPO_ROOT } from '../support/cli.js'

const dir = join(REPO_ROOT, 'test', 'fixtures', 'trust', 'lint')
const { cases } = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as {
  cases: Array<{ file: string; source: string; options: Record<string, unknown>; expect: string[] }>
}

describe('lint fixtures: real-world misconfigurations (test/fixtures/trust/lint)', () => {
  it.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    expect(c.source.length).toBeGreaterThan(10)
    const result = lintTrustPolicy(readFileSync(join(dir, c.file), 'utf8'), c.options)
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual([...c.expect].sort())
    for (const f of result.findings) {
      expect(f.message).not.toBe('')
      expect(f.fix).not.toBe('')
      if (f.ruleId !== 'L14' && f.ruleId !== 'L07') expect(f.statement).not.toBeNull()
    }
  })
})
