import { describe, expect, it } from 'vitest'
import { extractTemplate } from './extract.js'

describe("Google's extract()", () => {
  it.each([
    ['arn:aws:sts::1:assumed-role/R/s', 'assumed-role/{role}/', 'R'],
    ['arn:aws:sts::1:assumed-role/R/s', '{account_arn}assumed-role/', 'arn:aws:sts::1:'],
    ['projects/p/zones/z', 'projects/{p}/', 'p'],
    ['repo:org/app:ref:refs/heads/main', 'ref:{ref}', 'refs/heads/main'],
    ['no-prefix-here', 'assumed-role/{role}/', ''],
    ['assumed-role/R', 'assumed-role/{role}/', ''],
  ])('%s.extract(%s) = %s', (value, template, expected) => {
    expect(extractTemplate(value, template)).toBe(expected)
  })

  it.each(['no placeholder', '{a}{b}', '{open'])('refuses the template %s', (template) => {
    expect(() => extractTemplate('x', template)).toThrow(/one \{placeholder\}/u)
  })
})
