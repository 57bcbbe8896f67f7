import { describe, expect, it } from 'vitest'
import { parseRoleArn } from './arn.js'

const cases: Array<[string, ReturnType<typeof parseRoleArn>]> = [
  [
    'arn:aws:iam::123456789012:role/deploy',
    { partition: 'aws', accountId: '123456789012', path: '/', roleName: 'deploy' },
  ],
  [
    'arn:aws-us-gov:iam::123456789012:role/a/b/deploy',
    { partition: 'aws-us-gov', accountId: '123456789012', path: '/a/b/', roleName: 'deploy' },
  ],
  [
    'arn:aws-cn:iam::123456789012:role/x+=,.@-y',
    { partition: 'aws-cn', accountId: '123456789012', path: '/', roleName: 'x+=,.@-y' },
  ],
  ['arn:aws:iam::12345678901:role/deploy', undefined],
  ['arn:aws:iam::123456789012:user/deploy', undefined],
  ['arn:aws:sts::123456789012:role/deploy', undefined],
  ['arn:azure:iam::123456789012:role/deploy', undefined],
  ['arn:aws:iam::123456789012:role/', undefined],
  [`arn:aws:iam::123456789012:role/${'a'.repeat(65)}`, undefined],
]

describe('parseRoleArn', () => {
  it.each(cases)('%s', (arn, expected) => {
    expect(parseRoleArn(arn)).toEqual(expected)
  })
})
