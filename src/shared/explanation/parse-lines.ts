import type { ConditionRow } from './condition-row.js'

/**
 * Reads the condition rows back from explanation lines as the policy engine writes them
 * (src/policy/explain.ts): an action line `sts:AssumeRoleWithWebIdentity: Denied`, statement heads
 * `  Statement[0] (Allow, line 3): …` and condition lines
 * `    not met: StringEquals host:sub: request \`a\`; policy \`b\`, \`c\` (line 9)`.
 * Lines that are none of these are skipped; no rows means the explanation has no conditions.
 */
const ACTION = /^([a-z0-9-]+:[A-Za-z]+): [A-Za-z]+$/u
const STATEMENT = /^\s*(\S.*?) \((?:[A-Za-z]+|no Effect), line \d+\): /u
const CONDITION = /^\s+(met|not met):\s+(\S+) (\S+): request (.+); policy (.*) \(line \d+\)$/u

/** The values of a backtick-quoted list: `a`, [`a`, `b`]; `absent` is null. */
export function quotedValues(text: string): string[] | null {
  if (text === 'absent') return null
  return [...text.matchAll(/`([^`]*)`/gu)].map((m) => m[1] ?? '')
}

export function parseExplanationLines(lines: readonly string[]): ConditionRow[] {
  const rows: ConditionRow[] = []
  let action: string | null = null
  let statement = ''
  for (const raw of lines) {
    const line = raw.replace(/\s+$/u, '')
    const a = ACTION.exec(line.trimStart())
    if (a !== null) {
      action = a[1] ?? null
      continue
    }
    const c = CONDITION.exec(line)
    if (c !== null) {
      rows.push({
        action,
        statement,
        key: c[3] ?? '',
        operator: c[2] ?? '',
        tokenValues: quotedValues(c[4] ?? ''),
        policyValues: quotedValues(c[5] ?? '') ?? [],
        met: c[1] === 'met',
      })
      continue
    }
    const s = STATEMENT.exec(line)
    if (s !== null) statement = s[1] ?? ''
  }
  return rows
}
