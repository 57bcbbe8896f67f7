/**
 * Differential test: every policy vector that @cloud-copilot/iam-simulate can judge is run
 * through it as an independent oracle. Each disagreement must be listed below with the AWS rule
 * that decides it (and in docs/policy-engine.md); a new disagreement or a stale entry fails.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadVectors } from './vectors.js'
import { oracleDecision } from './oracle.js'

const DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/'

/** Case name → what the oracle answers and why our (= the vector's) answer is AWS's. */
const KNOWN: Record<string, { oracle: string; rule: string }> = {
  'DateEquals aws:CurrentTime "1577836800" vs "2020-01-01T00:00:00Z" → Allowed': {
    oracle: 'ImplicitlyDenied',
    rule: `${DOC}reference_policies_elements_condition_operators.html#Conditions_Date — date values may be ISO 8601 or epoch (UNIX) time; both denote the same instant`,
  },
  'IpAddress aws:SourceIp "0.0.0.0/0" vs "198.51.100.1" → Allowed': {
    oracle: 'ImplicitlyDenied',
    rule: `${DOC}reference_policies_elements_condition_operators.html#Conditions_IPAddress — a CIDR block; /0 contains every IPv4 address`,
  },
  'ForAnyValue:StringEqualsIfExists aws:TagKeys ["a"] vs missing → Allowed': {
    oracle: 'ImplicitlyDenied',
    rule: `${DOC}reference_policies_elements_condition_operators.html#Conditions_IfExists — "If the key is not present, evaluate the condition element as true" (applies to set operators too; docs/aws-behaviour.md §12 [U])`,
  },
  'StringEquals aws:PrincipalTag/team "${aws:PrincipalTag/missing,\'dev\'}" → Allowed': {
    oracle: 'ImplicitlyDenied',
    rule: `${DOC}reference_policies_variables.html#policy-vars-default-values — a default value after a comma; we accept it with or without a space [U]`,
  },
  'StringEquals aws:PrincipalTag/team "${*}" → Allowed': {
    oracle: 'ImplicitlyDenied',
    rule: `${DOC}reference_policies_variables.html#policy-vars-specialchars — \${*} stands for a literal *`,
  },
  'StringEquals aws:PrincipalTag/team "a${?}" → Allowed': {
    oracle: 'ImplicitlyDenied',
    rule: `${DOC}reference_policies_variables.html#policy-vars-specialchars — \${?} stands for a literal ?`,
  },
  'StringEquals aws:PrincipalTag/team "a${$}" → Allowed': {
    oracle: 'ImplicitlyDenied',
    rule: `${DOC}reference_policies_variables.html#policy-vars-specialchars — \${$} stands for a literal $`,
  },
  'Version 2008-10-17 keeps ${aws:PrincipalTag/env} literal → ImplicitlyDenied': {
    oracle: 'Allowed',
    rule: `${DOC}reference_policies_variables.html#policy-vars-intro — variables need Version 2012-10-17; otherwise they are literal strings`,
  },
  'missing Version keeps variables literal': {
    oracle: 'Allowed',
    rule: `${DOC}reference_policies_variables.html#policy-vars-intro — without a Version element, variables are treated as literal strings`,
  },
  '66 literal in 2008-10-17': {
    oracle: 'Allowed',
    rule: `${DOC}reference_policies_variables.html#policy-vars-intro — variables need Version 2012-10-17`,
  },
  '67 escape ${*} with literal *': {
    oracle: 'ImplicitlyDenied',
    rule: `${DOC}reference_policies_variables.html#policy-vars-specialchars — \${*} stands for a literal *`,
  },
}

describe('differential test against @cloud-copilot/iam-simulate', () => {
  it('agrees on every case it can judge, except the listed differences', async () => {
    const seen = new Set<string>()
    const unexpected: string[] = []
    let judged = 0
    for (const file of loadVectors()) {
      for (const c of file.cases) {
        const verdict = await oracleDecision(c)
        if (!verdict.judged) continue
        judged++
        const expected = (c as { expected: { decision: string } }).expected.decision
        if (verdict.decision === expected) continue
        const known = KNOWN[c.name]
        if (known?.oracle === verdict.decision) seen.add(c.name)
        else
          unexpected.push(`${file.path}: ${c.name}: vector ${expected}, oracle ${verdict.decision}`)
      }
    }
    expect(unexpected).toEqual([])
    expect(
      Object.keys(KNOWN).filter((k) => !seen.has(k)),
      'stale entries in KNOWN',
    ).toEqual([])
    expect(judged).toBeGreaterThanOrEqual(400)
  })
})

describe('the AGPL oracle stays out of the shipped code', () => {
  it('is imported by no file under src/', () => {
    const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src')
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.[cm]?[jt]sx?$/u.test(f),
    )
    const offenders = files.filter((f) =>
      readFileSync(join(src, f), 'utf8').includes('@cloud-copilot/'),
    )
    expect(offenders).toEqual([])
  })
})
