/**
 * Checks of a parsed CEL expression before it is accepted (docs/gcp.md, "CEL"): every free
 * identifier is one Google declares, and a condition is boolean by its form — a comparison, a
 * logical operator, `in`, `has()`, a boolean method (`startsWith`, …, `matches`), a boolean
 * macro (`exists`, `all`), a ternary of booleans or a bool literal. `assertion.sub` alone is not
 * (Google refuses it at create).
 */
import type { parse } from '@bufbuild/cel'

type Expr = ReturnType<typeof parse>['expr']

/** Names that are CEL types or constants, not variables. */
const BUILTIN_IDENTS = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
  'dyn',
])

const BOOL_CALLS = new Set([
  '_==_',
  '_!=_',
  '_<_',
  '_<=_',
  '_>_',
  '_>=_',
  '_&&_',
  '_||_',
  '!_',
  '@in',
  '@not_strictly_false',
  'startsWith',
  'endsWith',
  'contains',
  'matches',
  'bool',
])

function children(e: Expr): Array<{ expr: Expr; bound?: readonly string[] }> {
  const k = e.exprKind
  switch (k.case) {
    case 'selectExpr':
      return k.value.operand === undefined ? [] : [{ expr: k.value.operand }]
    case 'callExpr':
      return [...(k.value.target === undefined ? [] : [k.value.target]), ...k.value.args].map(
        (expr) => ({ expr }),
      )
    case 'listExpr':
      return k.value.elements.map((expr) => ({ expr }))
    case 'structExpr':
      return k.value.entries.flatMap((en) => [
        ...(en.keyKind.case === 'mapKey' ? [{ expr: en.keyKind.value }] : []),
        ...(en.value === undefined ? [] : [{ expr: en.value }]),
      ])
    case 'comprehensionExpr': {
      const c = k.value
      const vars = [c.iterVar, c.iterVar2, c.accuVar].filter((v) => v !== '')
      return [
        ...(c.iterRange === undefined ? [] : [{ expr: c.iterRange }]),
        ...(c.accuInit === undefined ? [] : [{ expr: c.accuInit, bound: [c.accuVar] }]),
        ...[c.loopCondition, c.loopStep, c.result]
          .filter((x): x is Expr => x !== undefined)
          .map((expr) => ({ expr, bound: vars })),
      ]
    }
    default:
      return []
  }
}

/** The first identifier that is neither declared nor bound by a macro, or undefined. */
function undeclared(e: Expr, allowed: ReadonlySet<string>): string | undefined {
  if (e.exprKind.case === 'identExpr') {
    const name = e.exprKind.value.name
    return allowed.has(name) || BUILTIN_IDENTS.has(name) ? undefined : name
  }
  for (const c of children(e)) {
    const scope = c.bound === undefined ? allowed : new Set([...allowed, ...c.bound])
    const found = undeclared(c.expr, scope)
    if (found !== undefined) return found
  }
  return undefined
}

/** Whether the expression is boolean by its form (see the file comment). */
export function booleanByForm(e: Expr): boolean {
  const k = e.exprKind
  switch (k.case) {
    case 'constExpr':
      return k.value.constantKind.case === 'boolValue'
    case 'selectExpr':
      return k.value.testOnly
    case 'callExpr': {
      if (k.value.function === '_?_:_') {
        const [, a, b] = k.value.args
        return a !== undefined && b !== undefined && booleanByForm(a) && booleanByForm(b)
      }
      return BOOL_CALLS.has(k.value.function)
    }
    case 'comprehensionExpr': {
      const c = k.value
      const result = c.result
      if (result === undefined) return false
      if (result.exprKind.case === 'identExpr' && result.exprKind.value.name === c.accuVar)
        return c.accuInit !== undefined && booleanByForm(c.accuInit)
      return booleanByForm(result)
    }
    default:
      return false
  }
}

/** Why the expression is refused, or undefined. */
export function staticProblem(
  e: Expr,
  variables: readonly string[],
  mustBeBoolean: boolean,
): string | undefined {
  const name = undeclared(e, new Set(variables))
  if (name !== undefined)
    return `undeclared reference to '${name}' (only ${variables.join(', ')} may be used)`
  if (mustBeBoolean && !booleanByForm(e)) return 'the expression does not evaluate to a boolean'
  return undefined
}
