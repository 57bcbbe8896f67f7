/** Policy text → typed `Policy`, keeping positions and duplicate keys. Never throws. */
import type {
  ConditionEntry,
  ParseOptions,
  ParseResult,
  Policy,
  Position,
  PrincipalSpec,
  ShapeProblem,
  Statement,
  StringListElement,
} from '../types.js'
import { parseJson, type JsonMember, type JsonNode } from './json.js'

export const DEFAULT_MAX_BYTES = 131072
export const DEFAULT_MAX_DEPTH = 32

/** Parses a policy document. Any text gives a typed result; nothing escapes as an exception. */
export function parsePolicy(text: string, options: ParseOptions = {}): ParseResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH
  if (typeof text !== 'string') {
    return {
      ok: false,
      error: { code: 'InvalidShape', message: 'policy text must be a string', line: 1, column: 1 },
    }
  }
  if (text.length > maxBytes) {
    return {
      ok: false,
      error: {
        code: 'TooLarge',
        message: `policy text is ${text.length} characters, over the limit of ${maxBytes}`,
        line: 1,
        column: 1,
      },
    }
  }
  const json = parseJson(text, maxDepth)
  if (!json.ok) {
    return {
      ok: false,
      error: { code: json.code, message: json.message, ...json.position },
    }
  }
  const root = json.root
  if (root.type !== 'object') {
    return {
      ok: false,
      error: {
        code: 'InvalidShape',
        message: 'a policy must be a JSON object',
        ...root.position,
      },
    }
  }
  const problems: ShapeProblem[] = []
  const problem = (path: string, message: string, at: Position): void => {
    problems.push({ path, message, ...at })
  }
  let version: string | undefined
  let id: string | undefined
  let statements: Statement[] = []
  let statementIsObject = false
  const unknownKeys: string[] = []
  for (const member of lastWins(root)) {
    const v = member.value
    switch (member.key) {
      case 'Version':
        if (v.type === 'string') version = v.value
        else problem('Version', 'Version must be a string', v.position)
        break
      case 'Id':
        if (v.type === 'string') id = v.value
        else problem('Id', 'Id must be a string', v.position)
        break
      case 'Statement':
        if (v.type === 'object') {
          statementIsObject = true
          statements = [statementOf(v, 0, 'Statement', problem)]
        } else if (v.type === 'array') {
          statementIsObject = false
          statements = []
          v.items.forEach((item, i) => {
            const path = `Statement[${i}]`
            if (item.type === 'object') statements.push(statementOf(item, i, path, problem))
            else problem(path, 'each statement must be an object', item.position)
          })
        } else problem('Statement', 'Statement must be an object or an array', v.position)
        break
      default:
        unknownKeys.push(member.key)
    }
  }
  const policy: Policy = {
    text,
    version,
    id,
    statementIsObject,
    statements,
    unknownKeys,
    duplicateKeys: json.duplicateKeys,
    problems,
  }
  return { ok: true, policy, duplicateKeys: json.duplicateKeys }
}

type Problem = (path: string, message: string, at: Position) => void

/**
 * The members of an object as `JSON.parse` sees them: when a key repeats, the last occurrence
 * wins (in the position of the first). Duplicates are reported separately by the JSON parser.
 */
function lastWins(node: Extract<JsonNode, { type: 'object' }>): readonly JsonMember[] {
  if (node.members.length < 2) return node.members
  const byKey = new Map<string, JsonMember>()
  for (const m of node.members) byKey.set(m.key, m)
  return byKey.size === node.members.length ? node.members : [...byKey.values()]
}

function statementOf(
  node: Extract<JsonNode, { type: 'object' }>,
  index: number,
  path: string,
  problem: Problem,
): Statement {
  let sid: string | undefined
  let effect: string | undefined
  let principal: PrincipalSpec | undefined
  let notPrincipal: PrincipalSpec | undefined
  let action: StringListElement | undefined
  let notAction: StringListElement | undefined
  let resource: StringListElement | undefined
  let notResource: StringListElement | undefined
  let conditions: ConditionEntry[] = []
  const unknownKeys: string[] = []
  for (const member of lastWins(node)) {
    const v = member.value
    const at = `${path}.${member.key}`
    switch (member.key) {
      case 'Sid':
        if (v.type === 'string') sid = v.value
        else problem(at, 'Sid must be a string', v.position)
        break
      case 'Effect':
        if (v.type === 'string') effect = v.value
        else problem(at, 'Effect must be a string', v.position)
        break
      case 'Principal':
        principal = principalOf(v, at, problem)
        break
      case 'NotPrincipal':
        notPrincipal = principalOf(v, at, problem)
        break
      case 'Action':
        action = stringList(v, at, problem)
        break
      case 'NotAction':
        notAction = stringList(v, at, problem)
        break
      case 'Resource':
        resource = stringList(v, at, problem)
        break
      case 'NotResource':
        notResource = stringList(v, at, problem)
        break
      case 'Condition':
        conditions = conditionsOf(v, at, problem)
        break
      default:
        unknownKeys.push(member.key)
    }
  }
  return {
    index,
    sid,
    label: sid !== undefined && sid !== '' ? sid : `Statement[${index}]`,
    effect,
    principal,
    notPrincipal,
    action,
    notAction,
    resource,
    notResource,
    conditions,
    unknownKeys,
    position: node.position,
  }
}

function stringList(node: JsonNode, path: string, problem: Problem): StringListElement {
  if (node.type === 'string')
    return { values: [node.value], invalid: false, position: node.position }
  if (node.type === 'array') {
    const values: string[] = []
    let invalid = false
    for (const item of node.items) {
      if (item.type === 'string') values.push(item.value)
      else {
        invalid = true
        problem(path, `${lastName(path)} must hold strings only`, item.position)
      }
    }
    return { values, invalid, position: node.position }
  }
  problem(path, `${lastName(path)} must be a string or an array of strings`, node.position)
  return { values: [], invalid: true, position: node.position }
}

function principalOf(node: JsonNode, path: string, problem: Problem): PrincipalSpec | undefined {
  if (node.type === 'string') {
    if (node.value === '*') return { kind: 'wildcard', position: node.position }
    problem(path, `${lastName(path)} must be "*" or an object`, node.position)
    return undefined
  }
  if (node.type !== 'object') {
    problem(path, `${lastName(path)} must be "*" or an object`, node.position)
    return undefined
  }
  const entries = lastWins(node).map((m) => {
    const list = stringList(m.value, `${path}.${m.key}`, problem)
    return { type: m.key, values: list.values, position: m.keyPosition }
  })
  return { kind: 'map', entries, position: node.position }
}

function conditionsOf(node: JsonNode, path: string, problem: Problem): ConditionEntry[] {
  if (node.type !== 'object') {
    problem(path, 'Condition must be an object', node.position)
    return []
  }
  const out: ConditionEntry[] = []
  for (const op of lastWins(node)) {
    const opPath = `${path}.${op.key}`
    if (op.value.type !== 'object') {
      problem(opPath, `condition operator ${op.key} must map to an object`, op.value.position)
      continue
    }
    for (const k of lastWins(op.value)) {
      const values: string[] = []
      let invalidValue = false
      const add = (n: JsonNode): void => {
        if (n.type === 'string') values.push(n.value)
        else if (n.type === 'number') values.push(n.raw)
        else if (n.type === 'boolean') values.push(String(n.value))
        else {
          invalidValue = true
          problem(
            `${opPath}.${k.key}`,
            'condition values must be strings, numbers or booleans',
            n.position,
          )
        }
      }
      if (k.value.type === 'array') k.value.items.forEach(add)
      else add(k.value)
      out.push({
        operator: op.key,
        key: k.key,
        values,
        invalidValue,
        operatorPosition: op.keyPosition,
        position: k.keyPosition,
      })
    }
  }
  return out
}

function lastName(path: string): string {
  const dot = path.lastIndexOf('.')
  return dot < 0 ? path : path.slice(dot + 1)
}
