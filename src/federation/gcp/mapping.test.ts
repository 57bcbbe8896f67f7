import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { celEngine } from './cel.js'
import { applyMapping, utf8Bytes } from './mapping.js'

function compiled(mapping: Record<string, string>): Parameters<typeof applyMapping>[0] {
  return Object.entries(mapping).map(([k, src]) => {
    const c = celEngine.compile(src, 'mapping')
    if (!c.ok) throw new Error(c.error)
    return [k, c.program] as const
  })
}

describe('attribute mapping', () => {
  it('counts UTF-8 bytes as TextEncoder does, lone surrogates included', () => {
    const encoder = new TextEncoder()
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Bytes(s)).toBe(encoder.encode(s).length)
      }),
    )
  })

  it.each([
    [
      { 'google.subject': 'assertion.n' },
      { n: 1 },
      'the result is number, not a string or a list of strings',
    ],
    [
      { 'google.subject': 'assertion.sub', 'google.groups': 'assertion.g' },
      { sub: 's', g: [1] },
      'a list with non-string elements',
    ],
    [{ 'google.subject': "''" }, {}, 'google.subject is empty'],
  ])('refuses %j over %j (%s)', (mapping, claims, why) => {
    const r = applyMapping(compiled(mapping), claims)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.why).toContain(why)
  })

  it('keeps list attributes and groups', () => {
    const r = applyMapping(
      compiled({
        'google.subject': 'assertion.sub',
        'google.groups': 'assertion.g',
        'attribute.teams': 'assertion.t',
      }),
      { sub: 's', g: ['a', 'b'], t: ['x'] },
    )
    expect(r.ok && r.identity).toEqual({
      subject: 's',
      groups: ['a', 'b'],
      attributes: { teams: ['x'] },
      bytes: expect.any(Number),
    })
  })
})
