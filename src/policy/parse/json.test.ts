import { describe, expect, it } from 'vitest'
import { parseJson, positionAt } from './json.js'

describe('parseJson', () => {
  it('keeps positions of values and keys', () => {
    const r = parseJson('{\n  "a": [1, "x"],\n  "b": true\n}', 10)
    expect(r.ok).toBe(true)
    if (!r.ok || r.root.type !== 'object') return
    expect(r.root.members.map((m) => [m.key, m.keyPosition])).toEqual([
      ['a', { line: 2, column: 3 }],
      ['b', { line: 3, column: 3 }],
    ])
    const a = r.root.members[0]?.value
    expect(a?.type === 'array' && a.items[1]?.position).toEqual({ line: 2, column: 12 })
  })
  it('reports every duplicate key with its path', () => {
    const r = parseJson('{"a":{"k":1,"k":2,"k":3},"a":0}', 10)
    expect(r.ok && r.duplicateKeys).toEqual([
      { path: 'a', key: 'k', line: 1, column: 13 },
      { path: 'a', key: 'k', line: 1, column: 19 },
      { path: '', key: 'a', line: 1, column: 26 },
    ])
  })
  it('decodes escapes like JSON.parse', () => {
    const text = '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"'
    const r = parseJson(text, 1)
    expect(r.ok && r.root.type === 'string' && r.root.value).toBe(JSON.parse(text))
  })
  it('reads numbers like JSON.parse and refuses what it refuses', () => {
    for (const t of ['0', '-0', '1.5e3', '-12.25E-2', '123456789012345678901234567890'])
      expect(parseJson(t, 1)).toMatchObject({ ok: true, root: { value: JSON.parse(t) as number } })
    for (const t of ['01', '+1', '1.', '.5', '1e', '-', 'NaN', 'Infinity'])
      expect(parseJson(t, 1).ok).toBe(false)
  })
  it('stops at the depth limit', () => {
    expect(parseJson('[[[]]]', 3).ok).toBe(true)
    expect(parseJson('[[[[]]]]', 3)).toMatchObject({ ok: false, code: 'TooDeep' })
  })
  it('positions errors', () => {
    expect(parseJson('{"a" 1}', 5)).toMatchObject({
      ok: false,
      code: 'InvalidJson',
      position: { line: 1, column: 6 },
    })
    expect(positionAt('a\nbc', 3)).toEqual({ line: 2, column: 2 })
  })
})
