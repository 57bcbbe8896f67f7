import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseQueryParams } from './params.js'

/** What URLSearchParams makes of the text: the oracle the one-pass parser must match. */
function oracle(text: string): { values: Array<[string, string]>; duplicates: string[] } {
  const values = new Map<string, string>()
  const duplicates = new Set<string>()
  for (const [k, v] of new URLSearchParams(text)) {
    if (values.has(k)) duplicates.add(k)
    values.set(k, v)
  }
  return { values: [...values], duplicates: [...duplicates] }
}

function parsed(text: string): { values: Array<[string, string]>; duplicates: string[] } {
  const p = parseQueryParams(text, '')
  return { values: [...p.values], duplicates: [...p.duplicates] }
}

describe('parseQueryParams', () => {
  it.each([
    '',
    'a=1&&b=2&',
    '=x',
    'a',
    'a==b',
    '%zz=%2',
    'x=%FF%FE',
    'x=%E2%82%AC+y',
    '+%2B=a+b',
    'a=1&a=2',
    'k=%',
    'k=%C3%28',
    'a=%ED%A0%80',
    'a=b=c&c',
    '3==z%+z',
  ])('decodes %j as URLSearchParams does', (text) => {
    expect(parsed(text)).toEqual(oracle(text))
  })

  it('decodes any form text as URLSearchParams does', () => {
    const piece = fc.constantFrom('a', 'b', '=', '&', '%', '+', '2F', 'C3', 'zz', 'é', '€', ' ')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
        const text = pieces.join('')
        expect(parsed(text)).toEqual(oracle(text))
      }),
      { numRuns: 2000 },
    )
  })

  it('merges the query string and the body, remembering names given twice', () => {
    const p = parseQueryParams('Action=X&Version=1', 'Version=2&RoleArn=arn%3Aaws')
    expect([...p.values]).toEqual([
      ['Action', 'X'],
      ['Version', '2'],
      ['RoleArn', 'arn:aws'],
    ])
    expect(p.duplicates).toEqual(['Version'])
  })
})
