import { describe, expect, it } from 'vitest'
import { parseTemplate, piecesText, resolveTemplate } from './variables.js'

const lookup = (k: string): string | undefined =>
  ({ 'aws:username': 'alice', 'aws:principaltag/team': 'dev' })[k]

describe('policy variables', () => {
  it('substitutes case-insensitive names', () => {
    const t = parseTemplate('home/${AWS:UserName}/*', true)
    expect(t.hasVariables).toBe(true)
    expect(piecesText(resolveTemplate(t, lookup) ?? [])).toBe('home/alice/*')
  })
  it('uses defaults only for missing keys', () => {
    expect(
      piecesText(
        resolveTemplate(parseTemplate("${aws:PrincipalTag/x, 'all'}", true), lookup) ?? [],
      ),
    ).toBe('all')
    expect(
      piecesText(
        resolveTemplate(parseTemplate("${aws:PrincipalTag/team, 'all'}", true), lookup) ?? [],
      ),
    ).toBe('dev')
  })
  it('fails to resolve a missing key without default', () => {
    expect(resolveTemplate(parseTemplate('${aws:PrincipalTag/x}', true), lookup)).toBeUndefined()
  })
  it('turns ${*} ${?} ${$} into literal, non-wild characters', () => {
    const pieces = resolveTemplate(parseTemplate('a${*}b${?}c${$}', true), lookup)
    expect(pieces).toEqual([
      { text: 'a', wild: true },
      { text: '*', wild: false },
      { text: 'b', wild: true },
      { text: '?', wild: false },
      { text: 'c', wild: true },
      { text: '$', wild: false },
    ])
  })
  it('keeps everything literal without variable support or without a closing brace', () => {
    expect(parseTemplate('${aws:username}', false)).toMatchObject({ hasVariables: false })
    expect(piecesText(resolveTemplate(parseTemplate('a${b', true), lookup) ?? [])).toBe('a${b')
  })
})
