import { describe, expect, it } from 'vitest'
import { failureLines } from './failure-lines.js'

const AADSTS =
  'Entra ID refused the exchange for client c: AADSTS700211: No matching federated identity record found'
const AWS_BLOCK = [
  'The trust policy of r does not accept this token',
  '  AWS said:  AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
  '  the keyless emulator explains:',
  '    Result: denied',
].join('\n')
const closest = [
  "closest federated credential: 'keyless-prod'",
  '  issuer differs: credential "https://k/", assertion "https://k" (they differ only in a trailing slash)',
]

const cases: ReadonlyArray<{
  name: string
  failure: { message: string; explanation?: string[] } | null
  message?: string | null
  shown: string[]
  lines: string[]
}> = [
  {
    name: 'the message is in the log, the explanation is not: the explanation',
    failure: { message: AADSTS, explanation: closest },
    shown: [`failed: ${AADSTS}`],
    lines: ['the keyless emulator explains:', ...closest.map((l) => `  ${l}`)],
  },
  {
    name: 'neither in the log: both',
    failure: { message: AADSTS, explanation: closest.slice(0, 1) },
    shown: [],
    lines: [AADSTS, 'the keyless emulator explains:', `  ${closest[0]}`],
  },
  {
    name: 'the AWS failure block, which shows the explanation, in the log already: nothing',
    failure: {
      message: AWS_BLOCK,
      explanation: ['Denied: sts:AssumeRoleWithWebIdentity is not allowed'],
    },
    shown: [`failed: ${AWS_BLOCK}`],
    lines: [],
  },
  {
    name: 'no failure object: the deployment message',
    failure: null,
    message: 'cancelled by admin@localhost',
    shown: [],
    lines: ['cancelled by admin@localhost'],
  },
]

describe('failureLines (keyless deploy --wait after a failure)', () => {
  it.each(cases)('$name', ({ failure, message, shown, lines }) => {
    expect(failureLines({ failure, message: message ?? null }, shown)).toEqual(lines)
  })
})
