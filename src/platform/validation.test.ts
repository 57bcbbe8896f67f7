import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ValidationFailed } from '../shared/errors.js'
import { emailSchema, parseInput, roleArnSchema, subjectTemplateSchema } from './validation.js'

describe('parseInput', () => {
  const schema = z.strictObject({ name: z.string().max(3), n: z.number().int() })

  it('names every failing field, each unknown field on its own', () => {
    let error: unknown
    try {
      parseInput(schema, { name: 'long', n: 1.5, a: 1, b: 2 })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ValidationFailed)
    const fields = (error as ValidationFailed).details as { fields: Array<{ path: string }> }
    expect(fields.fields.map((f) => f.path).sort()).toEqual(['a', 'b', 'n', 'name'])
  })

  it('prefixes paths and names the root', () => {
    expect(() => parseInput(z.string(), 1, 'query', 'q')).toThrow(/q: /)
    expect(() => parseInput(z.string(), 1)).toThrow(/\(root\)/)
  })
})

describe('field schemas', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/deploy', true],
    [' arn:aws-us-gov:iam::123456789012:role/a/b ', true],
    ['arn:aws:iam::123456789012:user/deploy', false],
  ])('roleArn %s', (arn, ok) => {
    expect(roleArnSchema.safeParse(arn).success).toBe(ok)
  })

  it.each([
    ['admin@localhost', true],
    ['a.b+c@example.com', true],
    ['no-at-sign', false],
    ['two@@example.com', false],
  ])('email %s', (email, ok) => {
    expect(emailSchema.safeParse(email).success).toBe(ok)
  })

  it('reports each subject-template problem', () => {
    const result = subjectTemplateSchema.safeParse('{repo}:*')
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      expect.stringContaining('unknown placeholder {repo}'),
      expect.stringContaining('must not contain * or ?'),
      expect.stringContaining('must start with org:{organizationId}'),
    ])
  })
})
