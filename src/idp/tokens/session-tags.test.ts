import { describe, expect, it } from 'vitest'
import { checkSessionTags, tagProblem } from './session-tags.js'

describe('AWS session-tag limits', () => {
  it.each([
    ['plain ids', 'organizationId', 'org_abc123', undefined],
    ['every allowed punctuation', 'k', 'a_b.c:d/e=f+g-h@i j', undefined],
    ['letters of any script and digits', 'k', 'Zürich 東京 ٣', undefined],
    ['empty value', 'k', '', undefined],
    ['value of 256 characters', 'k', 'v'.repeat(256), undefined],
    ['value of 257 characters', 'k', 'v'.repeat(257), 'the value is longer than 256 characters'],
    ['key of 128 characters', 'k'.repeat(128), 'v', undefined],
    ['key of 129 characters', 'k'.repeat(129), 'v', 'the tag key is longer than 128 characters'],
    ['empty key', '', 'v', 'the tag key is empty'],
    ['aws: prefix', 'AWS:thing', 'v', 'the tag key starts with aws:, which AWS reserves'],
    [
      'key with !',
      'a!',
      'v',
      'the tag key may only contain letters, digits, spaces and _ . : / = + - @',
    ],
    [
      "email with '",
      'deployerEmail',
      "o'neil@example.com",
      'the value may only contain letters, digits, spaces and _ . : / = + - @',
    ],
    ['email with +', 'deployerEmail', 'ops+ci@example.com', undefined],
    [
      'value with #',
      'userTag',
      'release#1',
      'the value may only contain letters, digits, spaces and _ . : / = + - @',
    ],
    [
      'value with a comma',
      'userTag',
      'a,b',
      'the value may only contain letters, digits, spaces and _ . : / = + - @',
    ],
    [
      'value with a newline',
      'userTag',
      'a\nb',
      'the value may only contain letters, digits, spaces and _ . : / = + - @',
    ],
    [
      'value with an emoji',
      'userTag',
      'ship it 🚀',
      'the value may only contain letters, digits, spaces and _ . : / = + - @',
    ],
  ])('%s', (_, key, value, problem) => {
    expect(tagProblem(key, value)).toBe(problem)
  })

  it('keeps good tags as one-element arrays, in order, and reports the others by key', () => {
    const result = checkSessionTags([
      ['organizationId', 'org_1'],
      ['deployerEmail', 'a!b@example.com'],
      ['userTag', 'ok'],
    ])
    expect(result.principalTags).toEqual({ organizationId: ['org_1'], userTag: ['ok'] })
    expect(Object.keys(result.principalTags)).toEqual(['organizationId', 'userTag'])
    expect(result.omitted).toEqual([
      {
        key: 'deployerEmail',
        reason: 'the value may only contain letters, digits, spaces and _ . : / = + - @',
      },
    ])
    expect(JSON.stringify(result.omitted)).not.toContain('a!b')
  })

  it('leaves out a key that repeats another one without case', () => {
    const result = checkSessionTags([
      ['Team', 'a'],
      ['team', 'b'],
    ])
    expect(result.principalTags).toEqual({ Team: ['a'] })
    expect(result.omitted).toEqual([
      { key: 'team', reason: 'another tag has the same key (AWS compares tag keys without case)' },
    ])
  })

  it('keeps at most 50 tags', () => {
    const tags = Array.from({ length: 52 }, (_, i) => [`k${i}`, 'v'] as const)
    const result = checkSessionTags(tags)
    expect(Object.keys(result.principalTags)).toHaveLength(50)
    expect(result.omitted.map((o) => o.key)).toEqual(['k50', 'k51'])
    expect(result.omitted[0]?.reason).toBe('AWS accepts at most 50 session tags')
  })

  it('a bad tag does not use up one of the 50 places', () => {
    const tags = [
      ['bad!', 'v'] as const,
      ...Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'] as const),
    ]
    const result = checkSessionTags(tags)
    expect(Object.keys(result.principalTags)).toHaveLength(50)
    expect(result.omitted.map((o) => o.key)).toEqual(['bad!'])
  })
})
