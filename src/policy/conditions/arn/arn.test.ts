import { expect, it } from 'vitest'
import { operatorTable } from '../../../../test/policy/operator-harness.js'
import { arnEquals } from './arn-equals.js'
import { arnLike } from './arn-like.js'
import { arnNotEquals } from './arn-not-equals.js'
import { arnNotLike } from './arn-not-like.js'
import { splitArn } from './arn-pattern.js'

it('splits an ARN into six parts, the last keeping its colons', () => {
  expect(splitArn('arn:aws:s3:::b/k')).toEqual(['arn', 'aws', 's3', '', '', 'b/k'])
  expect(splitArn('arn:aws:logs:r:1:log-group:x:*')).toEqual([
    'arn',
    'aws',
    'logs',
    'r',
    '1',
    'log-group:x:*',
  ])
  expect(splitArn('arn:aws:s3')).toBeUndefined()
})
const Q = 'arn:aws:sqs:us-east-1:111122223333:queue'
operatorTable(arnLike, [
  [Q, Q, true],
  ['arn:aws:sqs:*:*:*', Q, true],
  ['arn:aws:sqs:*', Q, false],
  ['arn:aws:sqs:us-east-?:*:q*', Q, true],
  ['arn:aws:sqs:*:*:*', 'nope', false],
])
operatorTable(arnEquals, [
  [Q, Q, true],
  ['arn:aws:sqs:*:*:*', Q, true],
])
operatorTable(arnNotLike, [
  ['arn:aws:sns:*:*:*', Q, true],
  ['arn:aws:sqs:*:*:*', Q, false],
])
operatorTable(arnNotEquals, [[Q, Q, false]])
