/**
 * Refresh mode (issue 5 point 5): a step that uses the AWS SDK keeps making successful signed
 * calls (GetCallerIdentity) across the expiry of the session it started with.
 *
 * How time is made to pass: an injected clock (real time + an offset the test moves) is shared by
 * the in-process keyless emulator, the test OIDC issuer and the runner. The step itself is a real
 * child process with the real clock, so two things are test-only:
 * - the jumps stay under the emulator's 15-minute SigV4 skew window (650 s, then 895 s): a
 *   900 s session (the shortest AWS allows) is past its end after the second jump;
 * - the credential endpoint reports at most 60 s of lifetime (`refreshHandoutSeconds`), so the
 *   SDK, which refreshes within 5 minutes of the expiration it was told, asks again before each
 *   call instead of trusting a real-time expiration that the jumps would make stale.
 */
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildEmulator, type Emulator } from '../../src/emulator/index.js'
import { runDeployment } from '../../src/runner/index.js'
import type { Clock } from '../../src/shared/clock.js'
import type { LogLine } from '../../src/shared/contracts/agent-api.js'
import { silentLogger } from '../../src/shared/logger.js'
import { startTestIssuer, type TestIssuer } from '../support/test-issuer.js'
import { deploymentFixture } from './support/fixture.js'

class OffsetClock implements Clock {
  offsetMs = 0
  now(): Date {
    return new Date(Date.now() + this.offsetMs)
  }
}

const clock = new OffsetClock()
let emulator: Emulator
let issuer: TestIssuer
let endpoint = ''
const dir = mkdtempSync(join(tmpdir(), 'keyless-refresh-'))
const ROLE = 'arn:aws:iam::123456789012:role/refresh-test'

beforeAll(async () => {
  issuer = await startTestIssuer({ clock, audience: 'aws:org_refresh' })
  emulator = await buildEmulator(
    { accountId: '123456789012', accessKeyId: 'test', secretAccessKey: 'test' },
    { clock },
  )
  await emulator.listen({ port: 0, host: '127.0.0.1' })
  const address = emulator.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  endpoint = `http://127.0.0.1:${address.port}`
  const iam = new IAMClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  })
  await iam.send(
    new CreateOpenIDConnectProviderCommand({
      Url: issuer.url,
      ClientIDList: ['aws:org_refresh'],
      ThumbprintList: ['0'.repeat(40)],
    }),
  )
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'refresh-test',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Federated: `arn:aws:iam::123456789012:oidc-provider/${issuer.host}`,
            },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                [`${issuer.host}:aud`]: 'aws:org_refresh',
                [`${issuer.host}:sub`]: 'refresh-subject',
              },
            },
          },
        ],
      }),
    }),
  )
})

afterAll(async () => {
  await emulator.close()
  await issuer.close()
  rmSync(dir, { recursive: true, force: true })
})

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('refresh mode', () => {
  it('keeps a long-running AWS SDK step working across the expiry of its first session', async () => {
    const lines: LogLine[] = []
    const stop = join(dir, 'stop')
    let mints = 0
    const deployment = deploymentFixture({
      id: 'dep_refresh000000001',
      template: {
        id: 'tpl',
        name: 'sdk-loop',
        type: 'custom',
        steps: [
          {
            name: 'loop',
            run: `"${process.execPath}" --import "${import.meta.resolve('tsx')}" "${join(import.meta.dirname, 'support', 'sdk-loop.ts')}" "${stop}"`,
          },
        ],
        path: null,
        repository: null,
      },
      credential: {
        id: 'cred',
        type: 'aws-oidc',
        roleArn: ROLE,
        roleSource: 'credential',
        durationSeconds: 900,
        region: 'us-east-1',
        stsEndpoint: endpoint,
        sessionTags: false,
        refresh: true,
      },
    })
    const running = runDeployment(
      deployment,
      {
        workDir: join(dir, 'work'),
        baseEnv: { PATH: '/usr/bin:/bin' },
        cancelGraceSeconds: 1,
        refreshHandoutSeconds: 60,
      },
      {
        clock,
        logger: silentLogger(),
        mintToken: async () => {
          mints += 1
          const token = await issuer.mint({ sub: 'refresh-subject' })
          return { token, expiresAt: new Date(clock.now().getTime() + 600_000).toISOString() }
        },
        log: (l) => lines.push(l),
        reportStep: () => undefined,
      },
    )
    const oks = (): string[] => lines.filter((l) => l.text.startsWith('ok ')).map((l) => l.text)
    const keys = (): Set<string> => new Set(oks().map((t) => t.replace(/^.*key=/u, '')))

    await until(() => oks().length >= 3, 'three calls with the first session')
    const started = Date.now()
    // 250 s left on a 900 s session: below the refresh margin (300 s), so the next request to
    // the endpoint re-mints and re-assumes.
    clock.offsetMs = 650_000
    await until(() => keys().size >= 2, 'a call with the refreshed session')
    // Past the first session's end (650 + 895 > 900 even with no real time elapsed beyond 6 s).
    await until(() => Date.now() - started > 6000, 'six real seconds', 10_000)
    clock.offsetMs = 895_000
    const before = oks().length
    await until(() => oks().length >= before + 3, 'three more calls after the first session ended')
    writeFileSync(stop, '')
    const result = await running

    const text = lines.map((l) => l.text).join('\n')
    expect(result.status, text).toBe('succeeded')
    expect(text).not.toMatch(/^fail /mu)
    expect(oks().every((t) => t.includes('assumed-role/refresh-test/dep_refresh000000001'))).toBe(
      true,
    )
    // The first session really ended: its keys are refused now.
    expect(text).toMatch(/^old-session ExpiredToken/mu)
    expect(text).toMatch(/refreshed AWS credentials/u)
    expect(mints).toBeGreaterThanOrEqual(2)
    // Keys and tokens never reach the log.
    expect(text).not.toMatch(/ASIA[A-Z0-9]{16}/u)
  }, 120_000)
})
