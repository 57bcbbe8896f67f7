/**
 * Writes the policy test vectors under test/vectors/policy/ from the compact tables below.
 * Every expected decision is written here by hand, from the AWS rule the case names; nothing is
 * computed by the engine. Run: `npx tsx test/policy/generate-vectors.ts` (the JSON is committed;
 * a vector may also be added by editing the JSON directly — the runner only reads the JSON).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors', 'policy')
const DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/'
const OPS = `${DOC}reference_policies_elements_condition_operators.html`
const MULTI = `${DOC}reference_policies_condition-single-vs-multi-valued-context-keys.html`
const VARS = `${DOC}reference_policies_variables.html`
const LOGIC = `${DOC}reference_policies_evaluation-logic.html`
const ELEMENTS = `${DOC}reference_policies_elements.html`
const SPEC = 'docs/aws-behaviour.md'

type Json = unknown
type Expected = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied'
const A: Expected = 'Allowed'
const I: Expected = 'ImplicitlyDenied'
const D: Expected = 'ExplicitlyDenied'
/** Marks a context key as absent from the request. */
const MISSING = Symbol('missing')
type Ctx = string | number | boolean | string[] | typeof MISSING

interface Case {
  name: string
  rule: string
  [k: string]: Json
}

const files = new Map<string, { description: string; cases: Case[] }>()
function file(path: string, description: string): (c: Case) => void {
  const f = { description, cases: [] as Case[] }
  files.set(path, f)
  return (c) => f.cases.push(c)
}

const ROLE = 'arn:aws:iam::111122223333:role/R'
const REQUEST = { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key' }

function allowPolicy(condition: Json, version = '2012-10-17'): Json {
  return {
    Version: version,
    Statement: [
      { Sid: 'Cond', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: condition },
    ],
  }
}

/** One condition-operator case: Allow s3:GetObject if `op: { key: values }`. */
function condCase(
  add: (c: Case) => void,
  rule: string,
  op: string,
  key: string,
  values: Json,
  ctx: Ctx,
  expected: Expected,
  extra: Record<string, Json> = {},
): void {
  const context = ctx === MISSING ? {} : { [key]: ctx }
  const shown = ctx === MISSING ? 'missing' : JSON.stringify(ctx)
  add({
    name: `${op} ${key} ${JSON.stringify(values)} vs ${shown} → ${expected}`,
    rule,
    request: { ...REQUEST, context },
    policies: [allowPolicy({ [op]: { [key]: values } })],
    expected: {
      decision: expected,
      failing: expected === 'Allowed' ? [] : [{ statement: 'Cond', operator: op, key }],
    },
    ...extra,
  })
}

function table(
  add: (c: Case) => void,
  rule: string,
  op: string,
  key: string,
  rows: ReadonlyArray<readonly [Json, Ctx, Expected]>,
  extra: Record<string, Json> = {},
): void {
  for (const [values, ctx, expected] of rows)
    condCase(add, rule, op, key, values, ctx, expected, extra)
}

// ---------------------------------------------------------------- string operators
{
  const add = file('conditions/string.json', 'String condition operators')
  const R = `${OPS}#Conditions_String`
  const T = 'aws:PrincipalTag/team'
  table(add, `${R} — StringEquals: exact matching, case sensitive`, 'StringEquals', T, [
    ['dev', 'dev', A],
    ['dev', 'Dev', I],
    ['dev', 'dev ', I],
    ['dev', '', I],
    ['', '', A],
    [['ops', 'dev'], 'dev', A],
    [['ops', 'qa'], 'dev', I],
    ['dev', MISSING, I],
    ['d*', 'dev', I],
    ['d*', 'd*', A],
    ['de?', 'dev', I],
    ['de?', 'de?', A],
    ['*', 'anything', I],
    ['*', '*', A],
    ['ünï', 'ünï', A],
  ])
  table(add, `${R} — StringNotEquals: negated matching`, 'StringNotEquals', T, [
    ['dev', 'dev', I],
    ['dev', 'ops', A],
    ['dev', 'DEV', A],
    [['dev', 'ops'], 'ops', I],
    [['dev', 'ops'], 'qa', A],
    ['d*', 'dev', A],
    ['*', 'dev', A],
  ])
  table(
    add,
    `${R} — StringEqualsIgnoreCase: exact matching, ignoring case`,
    'StringEqualsIgnoreCase',
    T,
    [
      ['dev', 'DEV', A],
      ['DeV', 'dEv', A],
      ['dev', 'dev2', I],
      [['x', 'DEV'], 'dev', A],
      ['d*', 'dev', I],
      ['dev', MISSING, I],
    ],
  )
  table(
    add,
    `${R} — StringNotEqualsIgnoreCase: negated matching, ignoring case`,
    'StringNotEqualsIgnoreCase',
    T,
    [
      ['dev', 'DEV', I],
      ['dev', 'ops', A],
      [['a', 'B'], 'b', I],
      [['a', 'B'], 'c', A],
    ],
  )
  table(
    add,
    `${R} — StringLike: case-sensitive matching with * (any run) and ? (one character)`,
    'StringLike',
    T,
    [
      ['dev', 'dev', A],
      ['d*', 'dev', A],
      ['d*', 'd', A],
      ['*', '', A],
      ['*', 'x', A],
      ['dev*', 'dev', A],
      ['*dev', 'dev', A],
      ['*dev*', 'a-dev-b', A],
      ['d*v', 'dv', A],
      ['d*v', 'dev', A],
      ['d*v', 'devx', I],
      ['D*', 'dev', I],
      ['de?', 'dev', A],
      ['de?', 'de', I],
      ['de?', 'devv', I],
      ['??', 'ab', A],
      ['??', 'a', I],
      ['?', '', I],
      ['a*b*c', 'abc', A],
      ['a*b*c', 'a1b2c', A],
      ['a*b*c', 'a1c2b', I],
      ['a**b', 'ab', A],
      ['*a*a*a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', I],
      ['*a*a*a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', A],
      ['repo:org/*', 'repo:org/app:ref:refs/heads/main', A],
      ['repo:org/*:ref:refs/heads/main', 'repo:org/app:ref:refs/heads/main', A],
      ['repo:org/*:ref:refs/heads/main', 'repo:org/app:ref:refs/heads/dev', I],
      ['repo:org/app:ref:refs/heads/ma?n', 'repo:org/app:ref:refs/heads/main', A],
      ['repo:org/app:ref:refs/heads/ma?n', 'repo:org/app:ref:refs/heads/maiin', I],
      [['x*', 'd*'], 'dev', A],
      [['x*', 'y*'], 'dev', I],
      ['d*', MISSING, I],
      ['a.b', 'axb', I],
      ['a+b', 'a+b', A],
      ['[ab]', 'a', I],
      ['[ab]', '[ab]', A],
      ['^dev$', 'dev', I],
    ],
  )
  table(
    add,
    `${R} — StringNotLike: negated case-sensitive matching with wildcards`,
    'StringNotLike',
    T,
    [
      ['d*', 'dev', I],
      ['d*', 'ops', A],
      ['D*', 'dev', A],
      [['x*', 'd*'], 'dev', I],
      [['x*', 'y*'], 'dev', A],
      ['*', '', I],
      ['de?', 'de', A],
    ],
  )
  // Values may be JSON numbers or booleans; IAM compares their text.
  table(
    add,
    `${OPS} — condition values may be written as JSON numbers or booleans`,
    'StringEquals',
    T,
    [
      [42, '42', A],
      [true, 'true', A],
      [1.5, '1.5', A],
    ],
  )
}

// ---------------------------------------------------------------- numeric
{
  const add = file('conditions/numeric.json', 'Numeric condition operators')
  const R = `${OPS}#Conditions_Numeric`
  const K = 'aws:MultiFactorAuthAge'
  table(add, `${R} — NumericEquals: matching`, 'NumericEquals', K, [
    ['10', '10', A],
    ['10', '10.0', A],
    ['10', '010', A],
    [10, '10', A],
    ['10', '11', I],
    ['10.5', '10.5', A],
    [['1', '2', '3'], '2', A],
    ['10', 'ten', I],
    ['ten', '10', I],
    ['10', MISSING, I],
    ['-5', '-5', A],
    ['1*', '10', I],
  ])
  table(add, `${R} — NumericNotEquals: negated matching`, 'NumericNotEquals', K, [
    ['10', '10', I],
    ['10', '11', A],
    [['1', '2'], '2', I],
    [['1', '2'], '3', A],
    ['10', MISSING, A],
  ])
  table(add, `${R} — NumericLessThan: "less than" matching`, 'NumericLessThan', K, [
    ['10', '9', A],
    ['10', '10', I],
    ['10', '11', I],
    ['10', '9.99', A],
    ['0', '-1', A],
    [['5', '20'], '10', A],
  ])
  table(
    add,
    `${R} — NumericLessThanEquals: "less than or equals" matching`,
    'NumericLessThanEquals',
    K,
    [
      ['10', '10', A],
      ['10', '10.01', I],
      ['10', '3', A],
    ],
  )
  table(add, `${R} — NumericGreaterThan: "greater than" matching`, 'NumericGreaterThan', K, [
    ['10', '11', A],
    ['10', '10', I],
    ['10', '9', I],
    ['3600', '86400', A],
  ])
  table(
    add,
    `${R} — NumericGreaterThanEquals: "greater than or equals" matching`,
    'NumericGreaterThanEquals',
    K,
    [
      ['10', '10', A],
      ['10', '9', I],
      ['10', '1e3', I],
      ['10', 'abc', I],
    ],
  )
}

// ---------------------------------------------------------------- date
{
  const add = file('conditions/date.json', 'Date condition operators')
  const R = `${OPS}#Conditions_Date`
  const K = 'aws:CurrentTime'
  table(
    add,
    `${R} — DateEquals: matching a specific date (W3C ISO 8601 or epoch)`,
    'DateEquals',
    K,
    [
      ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', A],
      ['2020-01-01T00:00:00Z', '2020-01-01T00:00:01Z', I],
      ['2020-01-01', '2020-01-01T00:00:00Z', A],
      ['1577836800', '2020-01-01T00:00:00Z', A],
      ['2020-01-01T01:00:00+01:00', '2020-01-01T00:00:00Z', A],
      ['2020-01-01T00:00:00Z', 'not a date', I],
      ['2020-01-01T00:00:00Z', MISSING, I],
      ['2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00Z', A],
    ],
  )
  table(add, `${R} — DateNotEquals: negated matching`, 'DateNotEquals', K, [
    ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', I],
    ['2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z', A],
    ['2020-01-01T00:00:00Z', MISSING, A],
  ])
  table(add, `${R} — DateLessThan: matching before a specific date and time`, 'DateLessThan', K, [
    ['2000-01-01T00:00:00Z', '2026-11-25T12:00:00Z', I],
    ['2030-01-01T00:00:00Z', '2026-11-25T12:00:00Z', A],
    ['2026-11-25T12:00:00Z', '2026-11-25T12:00:00Z', I],
    ['2026-11-26', '2026-11-25T23:59:59Z', A],
  ])
  table(
    add,
    `${R} — DateLessThanEquals: matching at or before a specific date and time`,
    'DateLessThanEquals',
    K,
    [
      ['2026-11-25T12:00:00Z', '2026-11-25T12:00:00Z', A],
      ['2026-11-25T12:00:00Z', '2026-11-25T12:00:01Z', I],
    ],
  )
  table(
    add,
    `${R} — DateGreaterThan: matching after a specific date and time`,
    'DateGreaterThan',
    K,
    [
      ['2020-01-01T00:00:00Z', '2026-11-25T12:00:00Z', A],
      ['2030-01-01T00:00:00Z', '2026-11-25T12:00:00Z', I],
      ['1577836800', '2020-01-01T00:00:01Z', A],
    ],
  )
  table(
    add,
    `${R} — DateGreaterThanEquals: matching at or after a specific date and time`,
    'DateGreaterThanEquals',
    K,
    [
      ['2026-11-25T12:00:00Z', '2026-11-25T12:00:00Z', A],
      ['2026-11-25T12:00:01Z', '2026-11-25T12:00:00Z', I],
    ],
  )
  const E = 'aws:EpochTime'
  table(
    add,
    `${R} — dates may be given as epoch seconds`,
    'DateGreaterThan',
    E,
    [
      ['1577836800', '1577836801', A],
      ['1577836800', '1577836800', I],
      ['2020-01-01T00:00:00Z', '1577836801', A],
    ],
    { oracle: 'iam-simulate reads aws:EpochTime as a numeric key' },
  )
}

// ---------------------------------------------------------------- bool, binary
{
  const add = file('conditions/bool-binary.json', 'Bool and BinaryEquals')
  const R = `${OPS}#Conditions_Boolean`
  const K = 'aws:SecureTransport'
  table(add, `${R} — Bool: Boolean matching`, 'Bool', K, [
    ['true', 'true', A],
    ['true', 'false', I],
    ['false', 'false', A],
    ['false', 'true', I],
    [true, 'true', A],
    ['true', true, A],
    ['false', false, A],
    ['true', MISSING, I],
    [['true', 'false'], 'false', A],
  ])
  table(add, `${R} — BoolIfExists: a missing key matches`, 'BoolIfExists', K, [
    ['true', MISSING, A],
    ['true', 'false', I],
  ])
  const B = `${OPS}#Conditions_BinaryEquals`
  const NO = { oracle: 'no global context key of the binary type' }
  table(
    add,
    `${B} — BinaryEquals: byte-for-byte comparison of base64 values`,
    'BinaryEquals',
    'custom:Blob',
    [
      ['QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', A],
      ['QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QmluYXJ5VmFsdWVJbkJhc2U2NQ==', I],
      ['AAEC', 'AAEC', A],
      ['AAEC', 'AAED', I],
      [['AAED', 'AAEC'], 'AAEC', A],
      ['not base64!', 'not base64!', I],
      ['AAEC', MISSING, I],
    ],
    NO,
  )
  table(
    add,
    `${B} — BinaryEqualsIfExists`,
    'BinaryEqualsIfExists',
    'custom:Blob',
    [
      ['AAEC', MISSING, A],
      ['AAEC', 'AAED', I],
    ],
    NO,
  )
}

// ---------------------------------------------------------------- ip
{
  const add = file('conditions/ip.json', 'IP address condition operators')
  const R = `${OPS}#Conditions_IPAddress`
  const K = 'aws:SourceIp'
  table(
    add,
    `${R} — IpAddress: the specified IP address or range (IPv4 and IPv6 CIDR)`,
    'IpAddress',
    K,
    [
      ['10.0.0.0/8', '10.1.2.3', A],
      ['10.0.0.0/8', '11.1.2.3', I],
      ['10.0.0.0/8', '127.0.0.1', I],
      ['203.0.113.0/24', '203.0.113.255', A],
      ['203.0.113.0/24', '203.0.114.0', I],
      ['203.0.113.7', '203.0.113.7', A],
      ['203.0.113.7', '203.0.113.8', I],
      ['203.0.113.7/32', '203.0.113.7', A],
      ['0.0.0.0/0', '198.51.100.1', A],
      ['192.168.0.0/15', '192.169.1.1', A],
      ['192.168.0.0/15', '192.170.1.1', I],
      [['10.0.0.0/8', '192.168.0.0/16'], '192.168.1.1', A],
      ['2001:db8::/32', '2001:db8:1::1', A],
      ['2001:db8::/32', '2001:db9::1', I],
      ['2001:DB8::/32', '2001:db8::abcd', A],
      ['::1', '::1', A],
      ['::1/128', '::2', I],
      ['2001:db8:1234:5600::/56', '2001:db8:1234:56ff:ffff::1', A],
      ['2001:db8:1234:5600::/56', '2001:db8:1234:5700::1', I],
      ['10.0.0.0/8', '2001:db8::1', I],
      ['2001:db8::/32', '10.0.0.1', I],
      ['10.0.0.0/8', 'not-an-ip', I],
      ['10.0.0.0/8', MISSING, I],
      ['10.0.0.0/33', '10.0.0.1', I],
    ],
  )
  table(add, `${R} — NotIpAddress: all IP addresses except the specified ones`, 'NotIpAddress', K, [
    ['10.0.0.0/8', '127.0.0.1', A],
    ['10.0.0.0/8', '10.9.9.9', I],
    [['10.0.0.0/8', '127.0.0.0/8'], '127.0.0.1', I],
    [['10.0.0.0/8', '172.16.0.0/12'], '127.0.0.1', A],
    ['2001:db8::/32', '2001:db8::1', I],
    ['10.0.0.0/8', MISSING, A],
  ])
}

// ---------------------------------------------------------------- arn
{
  const add = file('conditions/arn.json', 'ARN condition operators')
  const R = `${OPS}#Conditions_ARN`
  const K = 'aws:SourceArn'
  const Q = 'arn:aws:sns:us-east-1:111122223333:topic'
  table(
    add,
    `${R} — ArnEquals: case-sensitive matching of the ARN; each of the six colon-delimited components is checked separately and may include wildcards`,
    'ArnEquals',
    K,
    [
      [Q, Q, A],
      [Q, 'arn:aws:sns:us-east-1:111122223333:Topic', I],
      ['arn:aws:sns:*:111122223333:topic', Q, A],
      ['arn:aws:sns:us-east-1:*:*', Q, A],
      ['arn:aws:sns:us-east-?:111122223333:topic', Q, A],
      ['arn:aws:sns:us-west-2:111122223333:topic', Q, I],
      [Q, 'not-an-arn', I],
      [Q, MISSING, I],
    ],
  )
  table(
    add,
    `${R} — ArnLike: like ArnEquals; a wildcard in one component does not cross a colon`,
    'ArnLike',
    K,
    [
      [Q, Q, A],
      ['arn:aws:sns:*', Q, I],
      ['arn:aws:sns:*:*:*', Q, A],
      ['arn:aws:*:*:*:*', Q, A],
      ['arn:*:*:*:*:*', Q, A],
      ['arn:aws:sns:us-east-1:111122223333:top*', Q, A],
      ['arn:aws:sns:us-east-1:111122223333:*', 'arn:aws:sns:us-east-1:111122223333:a:b', A],
      ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b', A],
      ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::other/a', I],
      ['arn:aws:sns:us-east-1*', Q, I],
      [['arn:aws:sqs:*:*:*', 'arn:aws:sns:*:*:*'], Q, A],
    ],
  )
  table(add, `${R} — ArnNotEquals: negated matching for ARN`, 'ArnNotEquals', K, [
    [Q, Q, I],
    ['arn:aws:sns:*:*:other', Q, A],
    [Q, MISSING, A],
  ])
  table(add, `${R} — ArnNotLike: negated matching for ARN`, 'ArnNotLike', K, [
    ['arn:aws:sns:*:*:*', Q, I],
    ['arn:aws:sqs:*:*:*', Q, A],
    [['arn:aws:sqs:*:*:*', 'arn:aws:sns:*:*:t*'], Q, I],
  ])
  table(add, `${R} — ArnLike on aws:PrincipalArn`, 'ArnLike', 'aws:PrincipalArn', [
    ['arn:aws:iam::111122223333:role/*', ROLE, A],
    ['arn:aws:iam::111122223333:role/Other*', ROLE, I],
    ['arn:aws:iam::*:role/R', ROLE, A],
  ])
}

// ---------------------------------------------------------------- Null, IfExists, negated + missing
{
  const add = file(
    'modifiers/null-ifexists.json',
    'Null, …IfExists and negated operators with missing keys',
  )
  const N = `${OPS}#Conditions_Null`
  const T = 'aws:PrincipalTag/team'
  table(
    add,
    `${N} — Null true: the key must be absent; false: the key must be present`,
    'Null',
    T,
    [
      ['true', MISSING, A],
      ['true', 'dev', I],
      ['false', 'dev', A],
      ['false', MISSING, I],
      ['false', '', A],
      [true, MISSING, A],
      ['TRUE', MISSING, A],
    ],
  )
  table(add, `${N} — Null on a multi-valued key`, 'Null', 'aws:TagKeys', [
    ['true', MISSING, A],
    ['false', ['a'], A],
    ['true', ['a'], I],
  ])
  const X = `${OPS}#Conditions_IfExists`
  const ops: ReadonlyArray<readonly [string, Json, Ctx, Expected]> = [
    ['StringEqualsIfExists', 'dev', MISSING, A],
    ['StringEqualsIfExists', 'dev', 'dev', A],
    ['StringEqualsIfExists', 'dev', 'ops', I],
    ['StringLikeIfExists', 'd*', MISSING, A],
    ['StringLikeIfExists', 'd*', 'ops', I],
    ['StringNotEqualsIfExists', 'dev', MISSING, A],
    ['StringNotEqualsIfExists', 'dev', 'dev', I],
    ['StringEqualsIgnoreCaseIfExists', 'DEV', 'dev', A],
    ['StringNotLikeIfExists', 'd*', 'dev', I],
  ]
  for (const [op, v, ctx, e] of ops)
    condCase(
      add,
      `${X} — …IfExists: if the key is absent the condition is true; otherwise it is evaluated normally`,
      op,
      T,
      v,
      ctx,
      e,
    )
  const M = 'aws:MultiFactorAuthAge'
  for (const [op, v, ctx, e] of [
    ['NumericLessThanIfExists', '3600', MISSING, A],
    ['NumericLessThanIfExists', '3600', '7200', I],
    ['NumericLessThanIfExists', '3600', '60', A],
  ] as const)
    condCase(add, `${X} — …IfExists on a numeric key`, op, M, v, ctx, e)
  for (const [op, v, ctx, e] of [
    ['IpAddressIfExists', '10.0.0.0/8', MISSING, A],
    ['IpAddressIfExists', '10.0.0.0/8', '127.0.0.1', I],
    ['NotIpAddressIfExists', '10.0.0.0/8', MISSING, A],
  ] as const)
    condCase(add, `${X} — …IfExists on an IP key`, op, 'aws:SourceIp', v, ctx, e)
  for (const [op, v, ctx, e] of [
    ['DateGreaterThanIfExists', '2020-01-01T00:00:00Z', MISSING, A],
    ['DateGreaterThanIfExists', '2030-01-01T00:00:00Z', '2026-01-01T00:00:00Z', I],
  ] as const)
    condCase(add, `${X} — …IfExists on a date key`, op, 'aws:CurrentTime', v, ctx, e)
  for (const [op, v, ctx, e] of [
    ['ArnLikeIfExists', 'arn:aws:sns:*:*:*', MISSING, A],
    ['ArnLikeIfExists', 'arn:aws:sns:*:*:*', 'arn:aws:sqs:us-east-1:111122223333:q', I],
  ] as const)
    condCase(add, `${X} — …IfExists on an ARN key`, op, 'aws:SourceArn', v, ctx, e)
  const G = `${OPS}#Conditions_String — negated operators (StringNotEquals, …) are true when the key is missing from the request`
  for (const [op, v, key] of [
    ['StringNotEquals', 'dev', T],
    ['StringNotEqualsIgnoreCase', 'dev', T],
    ['StringNotLike', 'd*', T],
    ['NumericNotEquals', '1', M],
    ['DateNotEquals', '2020-01-01T00:00:00Z', 'aws:CurrentTime'],
    ['NotIpAddress', '10.0.0.0/8', 'aws:SourceIp'],
    ['ArnNotEquals', 'arn:aws:sns:*:*:*', 'aws:SourceArn'],
    ['ArnNotLike', 'arn:aws:sns:*:*:*', 'aws:SourceArn'],
  ] as const)
    condCase(add, G, op, key, v, MISSING, A)
  for (const [op, v, key] of [
    ['StringEquals', 'dev', T],
    ['StringEqualsIgnoreCase', 'dev', T],
    ['StringLike', '*', T],
    ['NumericEquals', '1', M],
    ['NumericGreaterThanEquals', '0', M],
    ['DateLessThan', '2100-01-01T00:00:00Z', 'aws:CurrentTime'],
    ['IpAddress', '0.0.0.0/0', 'aws:SourceIp'],
    ['ArnLike', 'arn:*:*:*:*:*', 'aws:SourceArn'],
    ['Bool', 'false', 'aws:SecureTransport'],
  ] as const)
    condCase(
      add,
      `${OPS} — a positive operator on a key missing from the request does not match`,
      op,
      key,
      v,
      MISSING,
      I,
    )
}

// ---------------------------------------------------------------- set operators
{
  const add = file(
    'modifiers/set-operators.json',
    'ForAllValues and ForAnyValue, missing and empty keys',
  )
  const R = `${MULTI}`
  const K = 'aws:TagKeys'
  const all = 'ForAllValues:StringEquals'
  const any = 'ForAnyValue:StringEquals'
  table(
    add,
    `${R} — ForAllValues: true if every request value matches at least one policy value; true when the key is missing or empty`,
    all,
    K,
    [
      [['a', 'b'], ['a'], A],
      [['a', 'b'], ['a', 'b'], A],
      [['a', 'b'], ['b', 'a', 'a'], A],
      [['a', 'b'], ['a', 'c'], I],
      [['a'], ['c'], I],
      [['a', 'b'], [], A],
      [['a', 'b'], MISSING, A],
      [['a'], 'a', A],
      [['a'], 'c', I],
    ],
  )
  table(
    add,
    `${R} — ForAnyValue: true if at least one request value matches a policy value; false when the key is missing or empty`,
    any,
    K,
    [
      [['a', 'b'], ['a'], A],
      [['a', 'b'], ['c', 'b'], A],
      [['a', 'b'], ['c', 'd'], I],
      [['a'], [], I],
      [['a'], MISSING, I],
      ['a', 'a', A],
    ],
  )
  table(add, `${R} — ForAllValues with StringLike`, 'ForAllValues:StringLike', K, [
    [['team-*', 'cost*'], ['team-a', 'costcenter'], A],
    [['team-*'], ['team-a', 'other'], I],
    [['team-*'], [], A],
  ])
  table(add, `${R} — ForAnyValue with StringLike`, 'ForAnyValue:StringLike', K, [
    [['team-*'], ['x', 'team-a'], A],
    [['team-*'], ['x', 'y'], I],
  ])
  table(
    add,
    `${R} — ForAllValues with a negated operator: every request value must match none of the policy values`,
    'ForAllValues:StringNotEquals',
    K,
    [
      [['secret', 'admin'], ['a', 'b'], A],
      [['secret', 'admin'], ['a', 'secret'], I],
      [['secret'], [], A],
      [['secret'], MISSING, A],
    ],
  )
  table(
    add,
    `${R} — ForAnyValue with a negated operator: at least one request value matches none of the policy values`,
    'ForAnyValue:StringNotEquals',
    K,
    [
      [['a', 'b'], ['a', 'c'], A],
      [['a', 'b'], ['a', 'b'], I],
      [['a'], MISSING, I],
      [['a'], [], I],
    ],
  )
  table(add, `${R} — set operators combine with IfExists`, 'ForAnyValue:StringEqualsIfExists', K, [
    [['a'], MISSING, A],
    [['a'], ['b'], I],
    [['a'], ['a'], A],
  ])
  table(
    add,
    `${R} — ForAllValues:StringEqualsIgnoreCase`,
    'ForAllValues:StringEqualsIgnoreCase',
    K,
    [
      [['Project', 'Team'], ['project', 'TEAM'], A],
      [['Project'], ['project', 'x'], I],
    ],
  )
  table(
    add,
    `${R} — a single-valued operator on a multi-valued key does not match (AWS requires a set operator; confirmed in iam-simulate against AWS)`,
    'StringEquals',
    K,
    [
      ['a', ['a'], I],
      ['a', ['a', 'b'], I],
    ],
  )
  table(
    add,
    `${R} — a negated single-valued operator on a multi-valued key does not match either`,
    'StringNotEquals',
    K,
    [['z', ['a', 'b'], I]],
  )
  table(
    add,
    `${OPS}#Conditions_IfExists — ForAllValues on a missing key with Allow is true (the documented pitfall)`,
    'ForAllValues:StringLike',
    'aws:PrincipalTag/team',
    [[['dev*'], MISSING, A]],
  )
}

// ---------------------------------------------------------------- keys: case, AND/OR
{
  const add = file(
    'conditions/keys-and-logic.json',
    'Condition key names, AND/OR rules of the condition block',
  )
  const R = `${ELEMENTS.replace('elements.html', 'elements_condition.html')} — condition key names are not case-sensitive; values are`
  for (const [written, ctxKey, v, ctx, e] of [
    ['aws:PrincipalTag/team', 'aws:PrincipalTag/team', 'dev', 'dev', A],
    ['AWS:PRINCIPALTAG/TEAM', 'aws:PrincipalTag/team', 'dev', 'dev', A],
    ['aws:principaltag/team', 'AWS:PrincipalTag/Team', 'dev', 'dev', A],
    ['aws:PrincipalTag/team', 'aws:principaltag/TEAM', 'dev', 'DEV', I],
    ['Aws:SourceIp', 'aws:sourceip', '10.0.0.0/8', '10.0.0.1', A],
  ] as const) {
    const op = written.toLowerCase().includes('sourceip') ? 'IpAddress' : 'StringEquals'
    add({
      name: `key ${written} vs context ${ctxKey}=${ctx} → ${e}`,
      rule: R,
      request: { ...REQUEST, context: { [ctxKey]: ctx } },
      policies: [allowPolicy({ [op]: { [written]: v } })],
      expected: { decision: e },
    })
  }
  const L = `${ELEMENTS.replace('elements.html', 'elements_condition_operators.html')} — several keys or operators in one Condition are ANDed; several values for one key are ORed`
  const ctx = {
    'aws:PrincipalTag/team': 'dev',
    'aws:PrincipalTag/env': 'prod',
    'aws:SourceIp': '10.1.1.1',
  }
  const logic: ReadonlyArray<readonly [string, Json, Expected, Json[]]> = [
    [
      'two keys, both match',
      { StringEquals: { 'aws:PrincipalTag/team': 'dev', 'aws:PrincipalTag/env': 'prod' } },
      A,
      [],
    ],
    [
      'two keys, second fails',
      { StringEquals: { 'aws:PrincipalTag/team': 'dev', 'aws:PrincipalTag/env': 'test' } },
      I,
      [{ statement: 'Cond', operator: 'StringEquals', key: 'aws:PrincipalTag/env' }],
    ],
    [
      'two keys, both fail',
      { StringEquals: { 'aws:PrincipalTag/team': 'x', 'aws:PrincipalTag/env': 'y' } },
      I,
      [
        { statement: 'Cond', operator: 'StringEquals', key: 'aws:PrincipalTag/team' },
        { statement: 'Cond', operator: 'StringEquals', key: 'aws:PrincipalTag/env' },
      ],
    ],
    [
      'two operators, both match',
      {
        StringEquals: { 'aws:PrincipalTag/team': 'dev' },
        IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
      },
      A,
      [],
    ],
    [
      'two operators, IP fails',
      {
        StringEquals: { 'aws:PrincipalTag/team': 'dev' },
        IpAddress: { 'aws:SourceIp': '192.168.0.0/16' },
      },
      I,
      [{ statement: 'Cond', operator: 'IpAddress', key: 'aws:SourceIp' }],
    ],
    ['values ORed', { StringEquals: { 'aws:PrincipalTag/team': ['ops', 'dev', 'qa'] } }, A, []],
    [
      'same key under two operators',
      {
        StringLike: { 'aws:PrincipalTag/team': 'd*' },
        StringNotEquals: { 'aws:PrincipalTag/team': 'dev' },
      },
      I,
      [{ statement: 'Cond', operator: 'StringNotEquals', key: 'aws:PrincipalTag/team' }],
    ],
    ['empty condition block', {}, A, []],
    [
      'negated with several values is an AND',
      { StringNotEquals: { 'aws:PrincipalTag/team': ['ops', 'dev'] } },
      I,
      [{ statement: 'Cond', operator: 'StringNotEquals', key: 'aws:PrincipalTag/team' }],
    ],
  ]
  for (const [name, cond, e, failing] of logic)
    add({
      name,
      rule: L,
      request: { ...REQUEST, context: ctx },
      policies: [allowPolicy(cond)],
      expected: { decision: e, failing },
    })
}

// ---------------------------------------------------------------- variables
{
  const add = file('variables/variables.json', 'Policy variables')
  const R = VARS
  const ctx = {
    'aws:username': 'alice',
    'aws:PrincipalTag/team': 'dev',
    'aws:PrincipalTag/env': 'prod',
    'aws:SourceIp': '10.0.0.1',
    'aws:TagKeys': ['a', 'b'],
  }
  const cases: ReadonlyArray<readonly [string, string, string, Json, Expected, string, string?]> = [
    [
      'StringEquals',
      'aws:PrincipalTag/env',
      '${aws:PrincipalTag/env}',
      ctx,
      A,
      'a variable is replaced by the value of the key',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      '${aws:PrincipalTag/env}',
      ctx,
      I,
      'a variable is replaced by the value of the key',
    ],
    [
      'StringLike',
      'aws:PrincipalTag/team',
      '${aws:PrincipalTag/team}*',
      ctx,
      A,
      'variables combine with wildcards',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/env',
      '${AWS:PRINCIPALTAG/ENV}',
      ctx,
      A,
      'variable names are case-insensitive',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      'team-${aws:username}',
      { ...ctx, 'aws:PrincipalTag/team': 'team-alice' },
      A,
      'a variable may be part of a value',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      '${aws:PrincipalTag/missing}',
      ctx,
      I,
      'a variable whose key is missing and has no default makes the value not match',
    ],
    [
      'StringNotEquals',
      'aws:PrincipalTag/team',
      '${aws:PrincipalTag/missing}',
      ctx,
      I,
      'a negated operator with an unresolvable variable does not match',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      "${aws:PrincipalTag/missing, 'dev'}",
      ctx,
      A,
      "a default value ${key, 'default'} is used when the key is missing",
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      "${aws:PrincipalTag/env, 'dev'}",
      ctx,
      I,
      'a default value is not used when the key is present',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      "${aws:PrincipalTag/missing,'dev'}",
      ctx,
      A,
      'a default value may be written without spaces',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      '${*}',
      { ...ctx, 'aws:PrincipalTag/team': '*' },
      A,
      '${*} is a literal *',
    ],
    [
      'StringLike',
      'aws:PrincipalTag/team',
      'a${*}',
      { ...ctx, 'aws:PrincipalTag/team': 'ab' },
      I,
      '${*} is a literal *, not a wildcard, under StringLike',
    ],
    [
      'StringLike',
      'aws:PrincipalTag/team',
      'a${*}',
      { ...ctx, 'aws:PrincipalTag/team': 'a*' },
      A,
      '${*} is a literal * under StringLike',
    ],
    [
      'StringLike',
      'aws:PrincipalTag/team',
      'a${?}',
      { ...ctx, 'aws:PrincipalTag/team': 'ab' },
      I,
      '${?} is a literal ?',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      'a${?}',
      { ...ctx, 'aws:PrincipalTag/team': 'a?' },
      A,
      '${?} is a literal ?',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      'a${$}',
      { ...ctx, 'aws:PrincipalTag/team': 'a$' },
      A,
      '${$} is a literal $',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      '${aws:TagKeys}',
      ctx,
      I,
      'multi-valued keys cannot be used as variables',
    ],
    [
      'StringEquals',
      'aws:PrincipalTag/team',
      '$aws:username',
      { ...ctx, 'aws:PrincipalTag/team': '$aws:username' },
      A,
      'without braces it is literal text',
    ],
    [
      'StringEqualsIgnoreCase',
      'aws:PrincipalTag/team',
      '${aws:username}',
      { ...ctx, 'aws:PrincipalTag/team': 'ALICE' },
      A,
      'variables work in IgnoreCase operators',
    ],
    [
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:s3:::${aws:username}/*',
      { ...ctx, 'aws:SourceArn': 'arn:aws:s3:::alice/x' },
      A,
      'variables work in ARN operators',
    ],
    [
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:s3:::${aws:username}/*',
      { ...ctx, 'aws:SourceArn': 'arn:aws:s3:::bob/x' },
      I,
      'variables work in ARN operators',
    ],
    [
      'Bool',
      'aws:SecureTransport',
      '${aws:PrincipalTag/tls}',
      { ...ctx, 'aws:SecureTransport': 'true', 'aws:PrincipalTag/tls': 'true' },
      A,
      'variables work in Bool',
    ],
    [
      'IpAddress',
      'aws:SourceIp',
      '${aws:PrincipalTag/net}',
      { ...ctx, 'aws:PrincipalTag/net': '10.0.0.0/8' },
      I,
      'variables are not substituted in IpAddress values',
    ],
    [
      'NumericEquals',
      'aws:MultiFactorAuthAge',
      '${aws:PrincipalTag/n}',
      { ...ctx, 'aws:MultiFactorAuthAge': '5', 'aws:PrincipalTag/n': '5' },
      I,
      'variables are not substituted in Numeric values',
    ],
  ]
  for (const [op, key, value, context, e, why] of cases) {
    add({
      name: `${op} ${key} ${JSON.stringify(value)} → ${e}`,
      rule: `${R} — ${why}`,
      request: { ...REQUEST, context },
      policies: [allowPolicy({ [op]: { [key]: value } })],
      expected: { decision: e },
    })
  }
  for (const [value, context, e] of [
    ['${aws:PrincipalTag/env}', ctx, I],
    ['${aws:PrincipalTag/env}', { ...ctx, 'aws:PrincipalTag/env': '${aws:PrincipalTag/env}' }, A],
  ] as const) {
    add({
      name: `Version 2008-10-17 keeps ${value} literal → ${e}`,
      rule: `${VARS} — policy variables are only recognised in Version 2012-10-17; in 2008-10-17 they are literal text`,
      request: { ...REQUEST, context },
      policies: [allowPolicy({ StringEquals: { 'aws:PrincipalTag/env': value } }, '2008-10-17')],
      expected: { decision: e },
    })
  }
  add({
    name: 'missing Version keeps variables literal',
    rule: `${VARS} — without a Version element, variables are treated as literal strings`,
    request: { ...REQUEST, context: ctx },
    policies: [
      {
        Statement: [
          {
            Sid: 'Cond',
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalTag/env': '${aws:PrincipalTag/env}' } },
          },
        ],
      },
    ],
    expected: { decision: I },
  })
  // Variables in Resource
  for (const [resource, target, e] of [
    ['arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/alice/file', A],
    ['arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/bob/file', I],
    ['arn:aws:s3:::bucket/${aws:PrincipalTag/missing}/*', 'arn:aws:s3:::bucket/alice/file', I],
    [
      "arn:aws:s3:::bucket/${aws:PrincipalTag/missing, 'alice'}/*",
      'arn:aws:s3:::bucket/alice/file',
      A,
    ],
  ] as const) {
    add({
      name: `Resource ${resource} vs ${target} → ${e}`,
      rule: `${VARS} — variables may be used in the Resource element`,
      request: { action: 's3:GetObject', resource: target, context: ctx },
      policies: [
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resource }],
        },
      ],
      expected: { decision: e },
    })
  }
}

// ---------------------------------------------------------------- elements: action, resource, principal, effect
{
  const add = file('elements/action.json', 'Action and NotAction')
  const R = `${ELEMENTS.replace('elements.html', 'elements_action.html')} — action names are case-insensitive; * and ? wildcards`
  const N = `${ELEMENTS.replace('elements.html', 'elements_notaction.html')} — NotAction matches every action except those listed`
  const rows: ReadonlyArray<readonly [string, Json, string, Expected]> = [
    ['Action', 's3:GetObject', 's3:GetObject', A],
    ['Action', 's3:getobject', 's3:GetObject', A],
    ['Action', 'S3:GETOBJECT', 's3:getObject', A],
    ['Action', 's3:Get*', 's3:GetObject', A],
    ['Action', 's3:*', 's3:GetObject', A],
    ['Action', '*', 's3:GetObject', A],
    ['Action', 's3:*Object', 's3:GetObject', A],
    ['Action', 's3:Get?bject', 's3:GetObject', A],
    ['Action', 's3:Get?', 's3:GetObject', I],
    ['Action', 's3:Put*', 's3:GetObject', I],
    ['Action', 'ec2:*', 's3:GetObject', I],
    ['Action', ['ec2:*', 's3:GetObject'], 's3:GetObject', A],
    ['Action', 's3:GetObjectAcl', 's3:GetObject', I],
    ['Action', 's3:GetObject', 's3:GetObjectAcl', I],
    ['Action', 's*:Get*', 's3:GetObject', A],
    ['Action', [], 's3:GetObject', I],
    ['NotAction', 's3:PutObject', 's3:GetObject', A],
    ['NotAction', 's3:GetObject', 's3:GetObject', I],
    ['NotAction', 's3:get*', 's3:GetObject', I],
    ['NotAction', ['iam:*', 'sts:*'], 's3:GetObject', A],
    ['NotAction', '*', 's3:GetObject', I],
    ['NotAction', 'ec2:*', 's3:GetObject', A],
  ]
  for (const [el, value, action, e] of rows)
    add({
      name: `${el} ${JSON.stringify(value)} vs ${action} → ${e}`,
      rule: el === 'Action' ? R : N,
      request: { action, resource: 'arn:aws:s3:::bucket/key', context: {} },
      policies: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', [el]: value, Resource: '*' }] },
      ],
      expected: { decision: e },
    })
  add({
    name: 'NotAction in a Deny denies everything else',
    rule: N,
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/key', context: {} },
    policies: [
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', NotAction: 'iam:*', Resource: '*' },
        ],
      },
    ],
    expected: { decision: D },
  })
  add({
    name: 'NotAction in a Deny leaves the listed actions alone',
    rule: N,
    request: { action: 'iam:GetRole', resource: 'arn:aws:iam::111122223333:role/R', context: {} },
    policies: [
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', NotAction: 'iam:*', Resource: '*' },
        ],
      },
    ],
    expected: { decision: A },
  })
}
{
  const add = file('elements/resource.json', 'Resource and NotResource')
  const R = `${ELEMENTS.replace('elements.html', 'elements_resource.html')} — wildcards in ARN segments; resource ARNs are case-sensitive`
  const rows: ReadonlyArray<readonly [string, Json, string, Expected]> = [
    ['Resource', '*', 'arn:aws:s3:::bucket/key', A],
    ['Resource', 'arn:aws:s3:::bucket/key', 'arn:aws:s3:::bucket/key', A],
    ['Resource', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/key', A],
    ['Resource', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b/c', A],
    ['Resource', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::other/key', I],
    ['Resource', 'arn:aws:s3:::BUCKET/*', 'arn:aws:s3:::bucket/key', I],
    ['Resource', 'arn:aws:s3:::bucket/ke?', 'arn:aws:s3:::bucket/key', A],
    ['Resource', ['arn:aws:s3:::x/*', 'arn:aws:s3:::bucket/*'], 'arn:aws:s3:::bucket/key', A],
    ['Resource', 'arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:role/R', A],
    ['Resource', 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam::999999999999:role/R', I],
    ['Resource', 'arn:aws:iam::111122223333:user/*', 'arn:aws:iam::111122223333:role/R', I],
    ['NotResource', 'arn:aws:s3:::secret/*', 'arn:aws:s3:::bucket/key', A],
    ['NotResource', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/key', I],
    ['NotResource', ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'], 'arn:aws:s3:::bucket/key', A],
    ['Resource', 'arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket/key', A],
    ['Resource', 'arn:aws:s3:::*', 'arn:aws:s3:::bucket/key', A],
    ['Resource', 'arn:aws:s3:::*/key', 'arn:aws:s3:::bucket/key', A],
    ['Resource', 'arn:aws:s3:::bucket/key*', 'arn:aws:s3:::bucket/key', A],
    ['Resource', 'arn:aws:s3:::bucket/?', 'arn:aws:s3:::bucket/key', I],
    ['Resource', 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/path/R', A],
    ['Resource', 'arn:aws:iam::111122223333:*', 'arn:aws:iam::111122223333:role/R', A],
    ['Resource', 'arn:aws:iam::*:*', 'arn:aws:iam::111122223333:role/R', A],
  ]
  for (const [el, value, resource, e] of rows)
    add({
      name: `${el} ${JSON.stringify(value)} vs ${resource} → ${e}`,
      rule: R,
      request: {
        action: resource.includes(':iam:') ? 'iam:GetRole' : 's3:GetObject',
        resource,
        context: {},
      },
      policies: [
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'iam:GetRole'], [el]: value }],
        },
      ],
      expected: { decision: e },
    })
}
{
  const add = file(
    'elements/principal.json',
    'Principal and NotPrincipal in resource-based policies',
  )
  const R = `${ELEMENTS.replace('elements.html', 'elements_principal.html')}`
  const FED = 'arn:aws:iam::111122223333:oidc-provider/idp.example.com'
  const fed = { type: 'Federated', id: FED }
  const role = { type: 'AWS', id: ROLE, accountId: '111122223333' }
  const rows: ReadonlyArray<readonly [string, Json, Json, Expected, string]> = [
    ['Principal', '*', fed, A, '"Principal": "*" means everyone'],
    ['Principal', { AWS: '*' }, fed, A, '{"AWS": "*"} is equivalent to "*"'],
    ['Principal', { Federated: FED }, fed, A, 'a federated principal matches its provider exactly'],
    [
      'Principal',
      { Federated: [FED.replace('idp', 'other'), FED] },
      fed,
      A,
      'a principal list matches any of its entries',
    ],
    [
      'Principal',
      { Federated: 'idp.example.com' },
      fed,
      I,
      'the bare host does not match an IAM OIDC provider ARN',
    ],
    [
      'Principal',
      { Federated: FED.toUpperCase() },
      fed,
      I,
      'federated principals are compared case-sensitively',
    ],
    [
      'Principal',
      { Federated: 'arn:aws:iam::111122223333:oidc-provider/*' },
      fed,
      I,
      'no wildcards inside a principal ARN',
    ],
    [
      'Principal',
      { AWS: '111122223333' },
      fed,
      I,
      'an account principal does not match a federated principal',
    ],
    [
      'Principal',
      { Service: 'sts.amazonaws.com' },
      fed,
      I,
      'a service principal does not match a federated principal',
    ],
    ['Principal', { AWS: ROLE }, role, A, 'a role ARN principal matches that role'],
    [
      'Principal',
      { AWS: '111122223333' },
      role,
      A,
      'an account id principal matches every principal of that account',
    ],
    [
      'Principal',
      { AWS: 'arn:aws:iam::111122223333:root' },
      role,
      A,
      'the root ARN stands for the account',
    ],
    [
      'Principal',
      { AWS: 'arn:aws:iam::999988887777:root' },
      role,
      I,
      'another account does not match',
    ],
    ['Principal', { AWS: [ROLE.replace('/R', '/X')] }, role, I, 'another role does not match'],
    [
      'NotPrincipal',
      { AWS: ROLE },
      role,
      I,
      'NotPrincipal matches every principal except those listed',
    ],
    [
      'NotPrincipal',
      { AWS: ROLE.replace('/R', '/X') },
      role,
      A,
      'NotPrincipal matches principals not listed',
    ],
    ['NotPrincipal', { Federated: FED }, fed, I, 'NotPrincipal with a federated principal'],
  ]
  for (const [el, value, principal, e, why] of rows)
    add({
      name: `${el} ${JSON.stringify(value)} vs ${(principal as { id: string }).id} → ${e}`,
      rule: `${R} — ${why}`,
      request: { principal, action: 'sts:AssumeRoleWithWebIdentity', context: {} },
      policies: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', [el]: value, Action: 'sts:*' }] },
      ],
      expected: { decision: e },
      oracle: 'principal matching is judged in trust-policy vectors',
    })
  add({
    name: 'Deny with NotPrincipal denies everyone else',
    rule: `${R} — NotPrincipal with Deny`,
    request: { principal: fed, action: 'sts:AssumeRoleWithWebIdentity', context: {} },
    policies: [
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'sts:*' },
          { Effect: 'Deny', NotPrincipal: { AWS: ROLE }, Action: 'sts:*' },
        ],
      },
    ],
    expected: { decision: D },
    oracle: 'principal matching is judged in trust-policy vectors',
  })
}

// ---------------------------------------------------------------- evaluation logic
{
  const add = file('evaluation/deny-precedence.json', 'Explicit Deny, Allow and implicit deny')
  const R = `${LOGIC} — an explicit deny in any policy overrides any allow; without an allow the request is implicitly denied`
  const allow = { Sid: 'Allow', Effect: 'Allow', Action: 's3:*', Resource: '*' }
  const deny = { Sid: 'Deny', Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }
  const p = (...s: Json[]): Json => ({ Version: '2012-10-17', Statement: s })
  const rows: ReadonlyArray<readonly [string, Json[], Expected, Json[]?]> = [
    ['allow only', [p(allow)], A],
    ['deny only', [p(deny)], D],
    [
      'allow then deny (an unconditional Deny has no conditions to report)',
      [p(allow, deny)],
      D,
      [],
    ],
    ['deny then allow', [p(deny, allow)], D],
    ['deny in a second policy', [p(allow), p(deny)], D],
    ['allow in a second policy', [p({ ...allow, Action: 'ec2:*' }), p(allow)], A],
    ['no statement matches', [p({ ...allow, Action: 'ec2:*' })], I],
    ['no policies at all', [], I],
    ['deny for another action', [p(allow, { ...deny, Action: 's3:PutObject' })], A],
    [
      'deny with a failing condition',
      [p(allow, { ...deny, Condition: { StringEquals: { 'aws:PrincipalTag/team': 'x' } } })],
      A,
    ],
    [
      'deny with a matching condition',
      [p(allow, { ...deny, Condition: { StringEquals: { 'aws:PrincipalTag/team': 'dev' } } })],
      D,
      [{ statement: 'Deny', operator: 'StringEquals', key: 'aws:PrincipalTag/team' }],
    ],
    [
      'deny with a negated condition on a missing key',
      [p(allow, { ...deny, Condition: { StringNotEquals: { 'aws:PrincipalTag/missing': 'x' } } })],
      D,
    ],
    [
      'deny with IfExists on a missing key',
      [
        p(allow, {
          ...deny,
          Condition: { StringEqualsIfExists: { 'aws:PrincipalTag/missing': 'x' } },
        }),
      ],
      D,
    ],
    [
      'deny with ForAnyValue on a missing key',
      [
        p(allow, {
          ...deny,
          Condition: { 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/missing': 'x' } },
        }),
      ],
      A,
    ],
    [
      'deny with Null true on a missing key',
      [p(allow, { ...deny, Condition: { Null: { 'aws:PrincipalTag/missing': 'true' } } })],
      D,
    ],
    ['deny wildcard action', [p(allow, { ...deny, Action: '*' })], D],
    ['deny on another resource', [p(allow, { ...deny, Resource: 'arn:aws:s3:::other/*' })], A],
    [
      'two allows, one matches',
      [
        p(
          { ...allow, Sid: 'A1', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'x' } } },
          { ...allow, Sid: 'A2' },
        ),
      ],
      A,
    ],
    [
      'two allows, neither condition matches: closest reported',
      [
        p(
          {
            ...allow,
            Sid: 'A1',
            Condition: {
              StringEquals: { 'aws:PrincipalTag/team': 'x', 'aws:PrincipalTag/env': 'y' },
            },
          },
          { ...allow, Sid: 'A2', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'z' } } },
        ),
      ],
      I,
      [{ statement: 'A2', operator: 'StringEquals', key: 'aws:PrincipalTag/team' }],
    ],
    ['Effect is case-sensitive', [p({ ...allow, Effect: 'allow' })], I],
  ]
  for (const [name, policies, e, failing] of rows)
    add({
      name,
      rule: R,
      request: { ...REQUEST, context: { 'aws:PrincipalTag/team': 'dev' } },
      policies,
      expected: failing === undefined ? { decision: e } : { decision: e, failing },
    })
}

// ---------------------------------------------------------------- parse: duplicates and limits
{
  const add = file('parse/parse.json', 'Parsing: duplicate keys, positions, limits')
  const R =
    'RFC 8259 §4 — names within an object SHOULD be unique; JSON.parse (and IAM) keep the last one'
  add({
    name: 'duplicated StringEquals keeps the last block and is reported',
    rule: R,
    parse:
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{\n"StringEquals":{"aws:PrincipalTag/team":"dev"},\n"StringEquals":{"aws:PrincipalTag/env":"prod"}}}}',
    expected: {
      ok: true,
      duplicateKeys: [{ path: 'Statement.Condition', key: 'StringEquals', line: 3, column: 1 }],
      conditionKeys: ['aws:PrincipalTag/env'],
    },
  })
  add({
    name: 'duplicated condition key inside one operator',
    rule: R,
    parse:
      '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a:b":"1","a:b":"2"}}}]}',
    expected: {
      ok: true,
      duplicateKeys: [
        { path: 'Statement[0].Condition.StringEquals', key: 'a:b', line: 1, column: 100 },
      ],
      conditionKeys: ['a:b'],
    },
  })
  add({
    name: 'duplicated Effect',
    rule: R,
    parse: '{"Statement":{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}}',
    expected: {
      ok: true,
      duplicateKeys: [{ path: 'Statement', key: 'Effect', line: 1, column: 31 }],
      effect: 'Allow',
    },
  })
  add({
    name: 'no duplicates',
    rule: R,
    parse: '{"Statement":[]}',
    expected: { ok: true, duplicateKeys: [] },
  })
  for (const [name, text, code] of [
    ['not JSON', 'hello', 'InvalidJson'],
    ['truncated', '{"Statement":[', 'InvalidJson'],
    ['trailing comma', '{"Statement":[],}', 'InvalidJson'],
    ['single quotes', "{'Statement':[]}", 'InvalidJson'],
    ['comment', '{"Statement":[] /* x */}', 'InvalidJson'],
    ['two values', '{} {}', 'InvalidJson'],
    ['empty text', '', 'InvalidJson'],
    ['array root', '[]', 'InvalidShape'],
    ['string root', '"x"', 'InvalidShape'],
    ['bad escape', '{"a":"\\x"}', 'InvalidJson'],
    ['raw control char', '{"a":"\u0001"}', 'InvalidJson'],
    ['deep nesting', '['.repeat(100) + ']'.repeat(100), 'TooDeep'],
    ['deep objects', '{"a":'.repeat(40) + '1' + '}'.repeat(40), 'TooDeep'],
  ] as const)
    add({
      name,
      rule: 'RFC 8259; the engine refuses too-deep documents before work grows',
      parse: text,
      expected: { ok: false, errorCode: code },
    })
  add({
    name: 'too large',
    rule: 'the engine refuses documents over maxBytes before tokenizing',
    parse: `{"Statement":[],"Id":"${'x'.repeat(200)}"}`,
    parseOptions: { maxBytes: 100 },
    expected: { ok: false, errorCode: 'TooLarge' },
  })
  add({
    name: 'invalid JSON error has a position',
    rule: 'RFC 8259',
    parse: '{\n  "Statement": [\n    {"Effect": "Allow",,}\n  ]\n}',
    expected: { ok: false, errorCode: 'InvalidJson', line: 3, column: 24 },
  })
}

// ---------------------------------------------------------------- validation
{
  const add = file(
    'validate/validate.json',
    'IAM validation on CreateRole / UpdateAssumeRolePolicy / PutRolePolicy',
  )
  const R = `${SPEC} §13`
  const FED = 'arn:aws:iam::111122223333:oidc-provider/idp.example.com'
  const st = (extra: Record<string, Json> = {}): Record<string, Json> => ({
    Effect: 'Allow',
    Principal: { Federated: FED },
    Action: 'sts:AssumeRoleWithWebIdentity',
    ...extra,
  })
  const doc = (...s: Json[]): string => JSON.stringify({ Version: '2012-10-17', Statement: s })
  const ok = { ok: true }
  const bad = (message: string, code = 'MalformedPolicyDocument'): Json => ({
    ok: false,
    code,
    message,
  })
  const trust: ReadonlyArray<readonly [string, string, Json]> = [
    ['valid trust policy', doc(st()), ok],
    [
      'three STS actions',
      doc(
        st({
          Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity'],
        }),
      ),
      ok,
    ],
    ['sts:* is accepted', doc(st({ Action: 'sts:*' })), ok],
    [
      'Version 2008-10-17 is accepted',
      JSON.stringify({ Version: '2008-10-17', Statement: [st()] }),
      ok,
    ],
    ['no Version is accepted', JSON.stringify({ Statement: st() }), ok],
    ['invalid JSON', '{"Version":', bad('This policy contains invalid Json')],
    ['not JSON', 'nope', bad('This policy contains invalid Json')],
    ['Resource is prohibited', doc(st({ Resource: '*' })), bad('Has prohibited field Resource')],
    [
      'NotResource is prohibited',
      doc(st({ NotResource: '*' })),
      bad('Has prohibited field NotResource'),
    ],
    [
      'NotPrincipal is prohibited',
      doc({ Effect: 'Allow', NotPrincipal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }),
      bad('Has prohibited field NotPrincipal'),
    ],
    [
      'Principal is required',
      doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }),
      bad('Missing required field Principal'),
    ],
    [
      'unknown AWS principal form',
      doc(st({ Principal: { AWS: 'not-an-arn' } })),
      bad('Invalid principal in policy: "AWS":"not-an-arn"'),
    ],
    [
      'AWS principal account id',
      doc(st({ Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' })),
      ok,
    ],
    [
      'unknown principal type',
      doc(st({ Principal: { Foo: 'bar' } })),
      bad('Invalid principal in policy: "Foo":"bar"'),
    ],
    [
      'other action',
      doc(st({ Action: 's3:GetObject' })),
      bad('AssumeRole policy may only specify STS AssumeRole actions.'),
    ],
    [
      'action without vendor',
      doc(st({ Action: 'AssumeRole' })),
      bad('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'),
    ],
    [
      'action with two colons',
      doc(st({ Action: 'sts:a:b' })),
      bad('Actions/Condition can contain only one colon.'),
    ],
    [
      'bad Version',
      JSON.stringify({ Version: '2012-10-18', Statement: [st()] }),
      bad('The policy failed legacy parsing'),
    ],
    [
      'duplicate Sid',
      doc(st({ Sid: 'A' }), st({ Sid: 'A' })),
      bad('Statement IDs (SID) in a single policy must be unique.'),
    ],
    [
      'missing Effect',
      doc({ Principal: { Federated: FED }, Action: 'sts:AssumeRoleWithWebIdentity' }),
      bad('Missing required field Effect'),
    ],
    ['bad Effect', doc(st({ Effect: 'Maybe' })), bad('Syntax errors in policy.')],
    [
      'missing Action',
      doc({ Effect: 'Allow', Principal: { Federated: FED } }),
      bad('Policy statement must contain actions.'),
    ],
    [
      'unknown condition operator',
      doc(st({ Condition: { StringEqual: { 'idp.example.com:aud': 'x' } } })),
      bad('Invalid Condition type : StringEqual'),
    ],
    [
      'operator names are case-sensitive (observed: Invalid Condition type : stringEquals)',
      doc(st({ Condition: { stringEquals: { 'idp.example.com:aud': 'x' } } })),
      bad('Invalid Condition type : stringEquals'),
    ],
    [
      'set prefixes are case-sensitive',
      doc(st({ Condition: { 'forAnyValue:StringEquals': { 'idp.example.com:amr': 'x' } } })),
      bad('Invalid Condition type : forAnyValue:StringEquals'),
    ],
    [
      'Statement missing',
      JSON.stringify({ Version: '2012-10-17' }),
      bad('Syntax errors in policy.'),
    ],
    ['unknown statement field', doc(st({ Foo: 1 })), bad('Syntax errors in policy.')],
    ['Effect not a string', doc(st({ Effect: 1 })), bad('Syntax errors in policy.')],
  ]
  for (const [name, text, expected] of trust)
    add({ name, rule: R, validate: 'trust', text, expected })
  const body = doc(st())
  const pad = 2048 - body.length
  const big = JSON.stringify({
    Version: '2012-10-17',
    Statement: [st({ Sid: 'x'.repeat(Math.max(0, pad - 9 + 1)) })],
  })
  add({
    name: 'trust policy over 2048 non-whitespace characters',
    rule: `${R} — ACLSizePerRole quota; LimitExceeded`,
    validate: 'trust',
    text: big,
    expected: bad('Cannot exceed quota for ACLSizePerRole: 2048', 'LimitExceeded'),
    size: big.length,
  })
  const small = JSON.stringify({ Version: '2012-10-17', Statement: [st()] }, null, 40)
  add({
    name: 'whitespace does not count toward the quota',
    rule: `${R} — whitespace not counted`,
    validate: 'trust',
    text: small,
    expected: ok,
  })
  const identity: ReadonlyArray<readonly [string, string, Json]> = [
    [
      'valid identity policy',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      }),
      ok,
    ],
    [
      'Principal not allowed',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
      }),
      bad('Policy document should not specify a principal.'),
    ],
    [
      'Resource required',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }),
      bad('Policy statement must contain resources.'),
    ],
    [
      'Sid must be alphanumeric',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'a-b', Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      }),
      bad(
        'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
      ),
    ],
    [
      'any action allowed',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['ec2:*', 'iam:GetRole'], Resource: '*' }],
      }),
      ok,
    ],
    [
      'NotAction with NotResource',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: { Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::x' },
      }),
      ok,
    ],
    [
      'Action and NotAction together',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: { Effect: 'Deny', Action: 's3:*', NotAction: 'iam:*', Resource: '*' },
      }),
      bad('Syntax errors in policy.'),
    ],
    ['invalid JSON', '{', bad('This policy contains invalid Json')],
  ]
  for (const [name, text, expected] of identity)
    add({ name, rule: `${R} — identity-policy grammar`, validate: 'identity', text, expected })
}

// ---------------------------------------------------------------- web identity (spec test cases)
{
  const add = file(
    'web-identity/trust.json',
    'AssumeRoleWithWebIdentity trust evaluation (spec "Test cases an emulator must pass")',
  )
  const FED = 'arn:aws:iam::111122223333:oidc-provider/idp.example.com'
  const T0 = {
    Effect: 'Allow',
    Principal: { Federated: FED },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { 'idp.example.com:aud': 'sts.amazonaws.com' } },
  }
  const pol = (...s: Json[]): Json => ({ Version: '2012-10-17', Statement: s })
  const claims = {
    iss: 'https://idp.example.com',
    aud: 'sts.amazonaws.com',
    sub: 'user-123456',
    iat: 1,
    exp: 2,
  }
  const w = (
    n: string,
    rule: string,
    trustPolicy: Json,
    input: Record<string, Json>,
    expected: Record<string, Json>,
    extra: Record<string, Json> = {},
  ): void =>
    add({
      name: n,
      rule: `${SPEC} — ${rule}`,
      webIdentity: { trustPolicy, ...input },
      expected,
      ...extra,
    })
  w('1 T0 allows J0', 'case 1', pol(T0), {}, { decision: A })
  w(
    '27 azp condition with azp',
    'case 27',
    pol({ ...T0, Condition: { StringEquals: { 'idp.example.com:azp': 'sts.amazonaws.com' } } }),
    { claims: { ...claims, azp: 'sts.amazonaws.com' } },
    { decision: A },
  )
  w(
    '28 azp condition without azp',
    'case 28',
    pol({ ...T0, Condition: { StringEquals: { 'idp.example.com:azp': 'sts.amazonaws.com' } } }),
    {},
    {
      decision: I,
      failing: [
        { statement: 'Statement[0]', operator: 'StringEquals', key: 'idp.example.com:azp' },
      ],
    },
  )
  w(
    '43 only another provider allowed',
    'case 43',
    pol({ ...T0, Principal: { Federated: 'accounts.google.com' } }),
    {},
    { decision: I, failing: [] },
  )
  w(
    '45 Deny on sub wins',
    'case 45',
    pol(T0, {
      Sid: 'NoUser',
      Effect: 'Deny',
      Principal: { Federated: FED },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'idp.example.com:sub': 'user-123456' } },
    }),
    {},
    {
      decision: D,
      failing: [{ statement: 'NoUser', operator: 'StringEquals', key: 'idp.example.com:sub' }],
    },
  )
  const sub = (op: string, v: Json): Json =>
    pol({ ...T0, Condition: { [op]: { 'idp.example.com:sub': v } } })
  const gh = 'repo:org/app:ref:refs/heads/main'
  w(
    '46 StringLike * crosses / and :',
    'case 46',
    sub('StringLike', 'repo:org/*'),
    { claims: { ...claims, sub: gh } },
    { decision: A },
  )
  w(
    '47 ? matches one character',
    'case 47',
    sub('StringLike', 'repo:org/app:ref:refs/heads/ma?n'),
    { claims: { ...claims, sub: gh } },
    { decision: A },
  )
  w(
    '47 ? does not match two',
    'case 47',
    sub('StringLike', 'repo:org/app:ref:refs/heads/ma?n'),
    { claims: { ...claims, sub: 'repo:org/app:ref:refs/heads/maiin' } },
    { decision: I },
  )
  w(
    '48 StringEquals * is literal',
    'case 48',
    sub('StringEquals', 'repo:org/*'),
    { claims: { ...claims, sub: 'repo:org/app' } },
    { decision: I },
  )
  w(
    '49 OR across values',
    'case 49',
    sub('StringEquals', ['a', 'user-123456']),
    {},
    { decision: A },
  )
  w(
    '50 AND across keys',
    'case 50',
    pol({
      ...T0,
      Condition: {
        StringEquals: {
          'idp.example.com:aud': 'sts.amazonaws.com',
          'idp.example.com:sub': 'other',
        },
      },
    }),
    {},
    {
      decision: I,
      failing: [
        { statement: 'Statement[0]', operator: 'StringEquals', key: 'idp.example.com:sub' },
      ],
    },
  )
  const email = (op: string): Json =>
    pol({ ...T0, Condition: { [op]: { 'idp.example.com:email': 'x' } } })
  w(
    '51 StringNotEquals on a claim never present',
    'case 51',
    email('StringNotEquals'),
    { claims: { ...claims, email: 'x' } },
    { decision: A },
  )
  w(
    '52 StringEquals on a custom claim denies',
    'case 52 (custom claims are absent)',
    email('StringEquals'),
    { claims: { ...claims, email: 'x' } },
    { decision: I },
  )
  w(
    '53 StringEqualsIfExists on a missing claim',
    'case 53',
    email('StringEqualsIfExists'),
    {},
    { decision: A },
  )
  const azpNull = pol({ ...T0, Condition: { Null: { 'idp.example.com:azp': 'true' } } })
  w('54 Null true without azp', 'case 54', azpNull, {}, { decision: A })
  w(
    '54 Null true with azp',
    'case 54',
    azpNull,
    { claims: { ...claims, azp: 'x' } },
    { decision: I },
  )
  const amr = (op: string, v: Json): Json =>
    pol({ ...T0, Condition: { [op]: { 'idp.example.com:amr': v } } })
  w(
    '55 ForAnyValue on missing amr',
    'case 55',
    amr('ForAnyValue:StringEquals', 'mfa'),
    {},
    { decision: I },
  )
  w(
    '56 ForAllValues on missing amr',
    'case 56',
    amr('ForAllValues:StringEquals', ['pwd']),
    {},
    { decision: A },
  )
  w(
    '56 ForAllValues with an extra amr value',
    'case 56',
    amr('ForAllValues:StringEquals', ['pwd']),
    { claims: { ...claims, amr: ['pwd', 'otp'] } },
    { decision: I },
  )
  w(
    '57 ForAnyValue with amr',
    'case 57',
    amr('ForAnyValue:StringEquals', 'otp'),
    { claims: { ...claims, amr: ['pwd', 'otp'] } },
    { decision: A },
  )
  w(
    '58 upper-case key',
    'case 58',
    pol({ ...T0, Condition: { StringEquals: { 'IDP.EXAMPLE.COM:SUB': 'user-123456' } } }),
    {},
    { decision: A },
  )
  w('58 upper-case value', 'case 58', sub('StringEquals', 'USER-123456'), {}, { decision: I })
  w('59 IgnoreCase', 'case 59', sub('StringEqualsIgnoreCase', 'USER-123456'), {}, { decision: A })
  for (const [action, e] of [
    ['sts:assumerolewithwebidentity', A],
    ['sts:AssumeRole*', A],
    ['sts:*', A],
    ['sts:AssumeRole', I],
  ] as const)
    w(`60 Action ${action}`, 'case 60', pol({ ...T0, Action: action }), {}, { decision: e })
  w(
    '61 NotAction sts:AssumeRole',
    'case 61',
    pol({ Effect: 'Allow', Principal: { Federated: FED }, NotAction: 'sts:AssumeRole' }),
    {},
    { decision: A },
  )
  w('62 Principal *', 'case 62', pol({ ...T0, Principal: '*' }), {}, { decision: A })
  const rsn = (op: string): Json =>
    pol({ ...T0, Condition: { [op]: { 'sts:RoleSessionName': 'ci-*' } } })
  w(
    '63 RoleSessionName StringEquals ci-*',
    'case 63',
    rsn('StringEquals'),
    { roleSessionName: 'ci-42' },
    { decision: I },
  )
  w(
    '63 RoleSessionName StringLike ci-*',
    'case 63',
    rsn('StringLike'),
    { roleSessionName: 'ci-42' },
    { decision: A },
  )
  const ip = (op: string): Json =>
    pol({ ...T0, Condition: { [op]: { 'aws:SourceIp': '10.0.0.0/8' } } })
  w(
    '64 IpAddress from loopback',
    'case 64',
    ip('IpAddress'),
    { sourceIp: '127.0.0.1' },
    { decision: I },
  )
  w(
    '64 NotIpAddress from loopback',
    'case 64',
    ip('NotIpAddress'),
    { sourceIp: '127.0.0.1' },
    { decision: A },
  )
  w(
    '65 DateLessThan 2000',
    'case 65',
    pol({ ...T0, Condition: { DateLessThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' } } }),
    {},
    { decision: I },
  )
  w(
    '65 SecureTransport over plain HTTP',
    'case 65',
    pol({ ...T0, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    { secureTransport: false },
    { decision: I },
  )
  w(
    '65 SecureTransport over HTTPS',
    'case 65',
    pol({ ...T0, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    { secureTransport: true },
    { decision: A },
  )
  const v = {
    ...T0,
    Condition: { StringEquals: { 'sts:RoleSessionName': '${idp.example.com:sub}' } },
  }
  w(
    '66 policy variable in 2012-10-17',
    'case 66',
    pol(v),
    { roleSessionName: 'user-123456' },
    { decision: A },
  )
  w(
    '66 literal in 2008-10-17',
    'case 66',
    { Version: '2008-10-17', Statement: [v] },
    { roleSessionName: 'user-123456' },
    { decision: I },
  )
  w(
    '67 escape ${*} with literal *',
    'case 67',
    sub('StringEquals', 'repo:org/${*}'),
    { claims: { ...claims, sub: 'repo:org/*' } },
    { decision: A },
  )
  w(
    '67 escape ${*} is not a wildcard',
    'case 67',
    sub('StringEquals', 'repo:org/${*}'),
    { claims: { ...claims, sub: 'repo:org/x' } },
    { decision: I },
  )
  const tags = { sessionTags: [{ key: 'Project', value: 'A' }] }
  w('68 tags need sts:TagSession', 'case 68', pol(T0), tags, {
    decision: I,
    deniedAction: 'sts:TagSession',
  })
  const both = { ...T0, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] }
  w('69 TagSession allowed', 'case 69', pol(both), tags, { decision: A })
  const tagCond = (v2: string): Json =>
    pol(T0, {
      Effect: 'Allow',
      Principal: { Federated: FED },
      Action: 'sts:TagSession',
      Condition: { StringEquals: { 'aws:RequestTag/Project': v2 } },
    })
  w('70 RequestTag mismatch', 'case 70', tagCond('B'), tags, {
    decision: I,
    deniedAction: 'sts:TagSession',
    failing: [
      { statement: 'Statement[1]', operator: 'StringEquals', key: 'aws:RequestTag/Project' },
    ],
  })
  w('70 RequestTag match', 'case 70', tagCond('A'), tags, { decision: A })
  const two = {
    sessionTags: [
      { key: 'Project', value: 'A' },
      { key: 'Team', value: 'x' },
    ],
  }
  const tk = (keys: string[]): Json =>
    pol(T0, {
      Effect: 'Allow',
      Principal: { Federated: FED },
      Action: 'sts:TagSession',
      Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': keys } },
    })
  w('71 TagKeys not all allowed', 'case 71', tk(['Project']), two, {
    decision: I,
    deniedAction: 'sts:TagSession',
  })
  w('71 TagKeys all allowed', 'case 71', tk(['Project', 'Team']), two, { decision: A })
  w(
    '78 source identity needs sts:SetSourceIdentity',
    'case 78',
    pol(T0),
    { sourceIdentity: 'Admin' },
    { decision: I, deniedAction: 'sts:SetSourceIdentity' },
  )
  w(
    '78 SetSourceIdentity allowed',
    'case 78',
    pol({ ...T0, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:SetSourceIdentity'] }),
    { sourceIdentity: 'Admin' },
    { decision: A },
  )
  w(
    'source identity condition',
    '§10 sts:SourceIdentity key',
    pol({ ...T0, Action: 'sts:*', Condition: { StringEquals: { 'sts:SourceIdentity': 'Admin' } } }),
    { sourceIdentity: 'Admin' },
    { decision: A },
  )
  w(
    'transitive tag keys',
    '§10 sts:TransitiveTagKeys key',
    pol({
      ...T0,
      Action: 'sts:*',
      Condition: { 'ForAnyValue:StringEquals': { 'sts:TransitiveTagKeys': 'Project' } },
    }),
    { ...tags, transitiveTagKeys: ['Project'] },
    { decision: A },
  )
  w(
    'port in provider URL is part of the key prefix',
    'local issuers (docs/architecture.md §9)',
    pol({
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/127.0.0.1:8080' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { '127.0.0.1:8080:sub': 'user-123456' } },
    }),
    {
      provider: {
        arn: 'arn:aws:iam::111122223333:oidc-provider/127.0.0.1:8080',
        url: '127.0.0.1:8080',
      },
    },
    { decision: A },
  )
  w(
    'trailing slash provider keys',
    'case 19',
    pol({
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/idp.example.com/' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'idp.example.com/:aud': 'sts.amazonaws.com' } },
    }),
    {
      provider: {
        arn: 'arn:aws:iam::111122223333:oidc-provider/idp.example.com/',
        url: 'idp.example.com/',
      },
    },
    { decision: A },
  )
  w(
    'context has the keys AWS builds',
    '§11 context keys',
    pol(T0),
    {
      claims: { ...claims, azp: 'c', amr: 'pwd', email: 'e@x' },
      sessionTags: [{ key: 'Project', value: 'A' }],
      transitiveTagKeys: ['Project'],
      sourceIdentity: 'Admin',
      sourceIp: '127.0.0.1',
      userAgent: 'aws-cli',
    },
    {
      decision: I,
      context: {
        'idp.example.com:aud': 'sts.amazonaws.com',
        'idp.example.com:sub': 'user-123456',
        'idp.example.com:azp': 'c',
        'idp.example.com:amr': ['pwd'],
        'sts:RoleSessionName': 's1',
        'aws:RequestTag/Project': 'A',
        'aws:TagKeys': ['Project'],
        'sts:TransitiveTagKeys': ['Project'],
        'sts:SourceIdentity': 'Admin',
        'aws:FederatedProvider': FED,
        'aws:CurrentTime': '2026-11-25T12:00:00Z',
        'aws:EpochTime': '1795608000',
        'aws:SourceIp': '127.0.0.1',
        'aws:UserAgent': 'aws-cli',
      },
    },
  )
  w(
    'custom claims are absent',
    '§11 custom claims are unavailable',
    pol({ ...T0, Condition: { StringEquals: { 'idp.example.com:organizationId': 'o1' } } }),
    { claims: { ...claims, organizationId: 'o1' } },
    { decision: I },
  )
  const GH = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com'
  const ghProvider = { arn: GH, url: 'token.actions.githubusercontent.com' }
  const ghClaims = {
    aud: 'sts.amazonaws.com',
    sub: 'repo:org/app:ref:refs/heads/main',
    repository: 'org/app',
    actor: 'octocat',
    workflow_ref: 'x',
  }
  const ghPolicy = (key: string, value: string): Json =>
    pol({
      Effect: 'Allow',
      Principal: { Federated: GH },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`token.actions.githubusercontent.com:${key}`]: value } },
    })
  w(
    'GitHub issuer: repository claim is passed',
    '§11 GitHub claims usable in trust policies (2026)',
    ghPolicy('repository', 'org/app'),
    { provider: ghProvider, claims: ghClaims },
    { decision: A },
  )
  w(
    'GitHub issuer: actor claim is passed',
    '§11 GitHub claims usable in trust policies (2026)',
    ghPolicy('actor', 'other'),
    { provider: ghProvider, claims: ghClaims },
    { decision: I },
  )
  w(
    'GitHub issuer: claims outside the list stay absent',
    '§11 only the listed GitHub claims',
    ghPolicy('workflow_ref', 'x'),
    { provider: ghProvider, claims: ghClaims },
    { decision: I },
  )
  w(
    'other issuers: a repository claim is absent',
    '§11 only for those issuers',
    pol({ ...T0, Condition: { StringEquals: { 'idp.example.com:repository': 'org/app' } } }),
    { claims: { ...claims, repository: 'org/app' } },
    { decision: I },
  )
  const GOOG = { arn: 'accounts.google.com', url: 'accounts.google.com' }
  const BARE_HOST =
    'iam-simulate matches Federated principals only as provider ARNs, not as the bare host of a built-in provider'
  const googlePolicy = (cond: Json): Json =>
    pol({
      Effect: 'Allow',
      Principal: { Federated: 'accounts.google.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: cond,
    })
  w(
    'Google: :aud is azp when azp is set',
    '§4 accounts.google.com:aud = azp when set',
    googlePolicy({ StringEquals: { 'accounts.google.com:aud': 'client-1' } }),
    { provider: GOOG, claims: { aud: 'project-x', azp: 'client-1', sub: '123' } },
    { decision: A },
    { oracle: BARE_HOST },
  )
  w(
    'Google: :oaud is the token aud',
    '§4 accounts.google.com:oaud = the token aud',
    googlePolicy({ StringEquals: { 'accounts.google.com:oaud': 'project-x' } }),
    { provider: GOOG, claims: { aud: 'project-x', azp: 'client-1', sub: '123' } },
    { decision: A },
    { oracle: BARE_HOST },
  )
  w(
    'Google: :aud is the token aud without azp',
    '§4',
    googlePolicy({ StringEquals: { 'accounts.google.com:aud': 'project-x' } }),
    { provider: GOOG, claims: { aud: 'project-x', sub: '123' } },
    { decision: A },
    { oracle: BARE_HOST },
  )
  w(
    'generic issuers keep aud even with azp',
    '§4 do not remap generic issuers',
    pol({
      ...T0,
      Condition: {
        StringEquals: {
          'idp.example.com:aud': 'sts.amazonaws.com',
          'idp.example.com:azp': 'client-1',
        },
      },
    }),
    { claims: { ...claims, azp: 'client-1' } },
    { decision: A },
  )
  w(
    'aud array uses the given audience',
    'case 26',
    pol(T0),
    { claims: { ...claims, aud: ['x', 'sts.amazonaws.com'] }, audience: 'sts.amazonaws.com' },
    { decision: A },
  )
}

// ---------------------------------------------------------------- write
let total = 0
for (const [path, content] of files) {
  const target = join(OUT, path)
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, `${JSON.stringify(content, null, 2)}\n`)
  total += content.cases.length
}
process.stdout.write(`wrote ${files.size} files, ${total} cases\n`)
