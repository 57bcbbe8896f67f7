import type { LintRule } from '../types.js'

/**
 * L07 duplicate-keys: a JSON key twice in one object. JSON parsers (and IAM) keep the last one,
 * so a second `StringEquals` silently drops the first one's conditions (alphagov PR #879).
 */
export const duplicateKeys: LintRule = {
  id: 'L07',
  name: 'duplicate-json-key',
  severity: 'error',
  title: 'A JSON key appears twice in one object; all but the last are silently dropped.',
  check(ctx) {
    return ctx.policy.duplicateKeys.map((d) => {
      const m = /^(Statement(?:\[\d+\])?)/u.exec(d.path)
      const statementPath = m?.[1]
      const view = ctx.statements.find(
        (v) =>
          statementPath !== undefined &&
          (statementPath === 'Statement' ? 0 : Number(/\d+/u.exec(statementPath)?.[0])) ===
            v.statement.index,
      )
      const where = d.path === '' ? 'the policy object' : d.path
      return {
        message: `${where} has the key "${d.key}" more than once (again at line ${d.line}); JSON parsers and IAM keep only the last one, so everything under the earlier "${d.key}" is silently dropped.`,
        statement: view?.label ?? null,
        key: d.key,
        fix: `Merge the "${d.key}" objects into one (all their keys together).`,
        position: { line: d.line, column: d.column },
      }
    })
  },
}
