/**
 * `keyless explain` runs the emulator's AWS chain offline (src/trust/explain/aws/): for every case
 * of test/vectors/explain/aws-agreement.json, the emulator's answer and explain's must be the
 * same code and the same message, and that code must be the one the vector expects.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { explainWebIdentity } from '../../src/trust/index.js'
import { REPO_ROOT } from '../support/cli.js'
import type { MintOptions } from '../support/test-issuer.js'
import { startHarness, type Harness } from '../emulator/harness.js'

interface AgreementCase {
  readonly name: string
  readonly claims?: Record<string, unknown>
  readonly mint?: MintOptions
  readonly statements?: unknown[]
  readonly noProvider?: boolean
  readonly durationSeconds?: number
  readonly maxSessionDuration?: number
  readonly expect: string | null
}

const file = join(REPO_ROOT, 'test', 'vectors', 'explain', 'aws-agreement.json')
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: AgreementCase[] }

/** The case with `${host}` and `${provider}` filled in, and `null` claims removed. */
function bind(c: AgreementCase, h: Harness): AgreementCase {
  const text = JSON.stringify(c)
    .replaceAll('${host}', h.issuer.host)
    .replaceAll('${provider}', h.providerArn)
  const bound = JSON.parse(text) as AgreementCase
  const claims = Object.fromEntries(
    Object.entries(bound.claims ?? {}).map(([k, v]) => [k, v ?? undefined]),
  )
  return { ...bound, claims }
}

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('explain answers as the emulator does', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, raw) => {
    h = await startHarness()
    const c = bind(raw, h)
    const trust =
      c.statements === undefined ? h.t0() : { Version: '2012-10-17', Statement: c.statements }
    await h.setup({
      trust,
      ...(c.maxSessionDuration === undefined ? {} : { maxSessionDuration: c.maxSessionDuration }),
    })
    if (c.noProvider === true)
      expect(
        (
          await h.iam({
            Action: 'DeleteOpenIDConnectProvider',
            OpenIDConnectProviderArn: h.providerArn,
          })
        ).status,
      ).toBe(200)
    const token = await h.issuer.mint(c.claims, c.mint)
    const online = await h.assume(token, { DurationSeconds: c.durationSeconds })
    const offline = explainWebIdentity({
      token,
      trustPolicy: JSON.stringify(trust),
      roleArn: h.roleArn,
      provider:
        c.noProvider === true
          ? null
          : { arn: h.providerArn, url: h.issuer.host, clientIds: ['sts.amazonaws.com'] },
      roleSessionName: 's1',
      ...(c.durationSeconds === undefined ? {} : { duration: c.durationSeconds }),
      maxSessionDuration: c.maxSessionDuration ?? 3600,
      now: h.clock.now(),
    })
    expect(online.code ?? null, online.body).toBe(c.expect)
    expect({ code: offline.awsError?.code, message: offline.awsError?.message }).toEqual({
      code: online.code,
      message: online.message,
    })
    if (c.expect === null) expect(offline.assumedRoleArn).toBe(online.result?.AssumedRoleUser?.Arn)
  })
})
