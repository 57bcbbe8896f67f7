/**
 * The end-to-end deployment suite (issue 5 point 8), run against SQLite and PostgreSQL: real
 * `keyless server`, `keyless emulator` and `keyless agent` processes on random loopback ports;
 * two extra in-process emulators where a test needs what a process cannot give (a clock an hour
 * ahead for the expired-token case, a provider that lists another audience).
 */
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildEmulator, type Emulator } from '../../../src/emulator/index.js'
import { AWS_CLI, requireAwsClients } from '../../support/env.js'
import type { Clock } from '../../../src/shared/clock.js'
import {
  ACCOUNT,
  LEASE_SECONDS,
  startProcess,
  startStack,
  type Json,
  type Proc,
  type Stack,
  type StackOptions,
} from './stack.js'
import {
  createEnv,
  createOrg,
  createRole,
  deploy,
  ensureProvider,
  generatedTrustPolicy,
  logText,
  until,
  waitStatus,
  whoamiStep,
  type Org,
} from './world.js'

async function inProcessEmulator(clock?: Clock): Promise<{ app: Emulator; url: string }> {
  const app = await buildEmulator(
    { accountId: ACCOUNT, accessKeyId: 'test', secretAccessKey: 'test' },
    clock === undefined ? {} : { clock },
  )
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  return { app, url: `http://127.0.0.1:${address.port}` }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export function deploymentSuite(label: string, stackOptions: () => Promise<StackOptions>): void {
  // Generous timeouts: CI runs this next to every other suite on two cores.
  describe(`deployments end to end (${label})`, { timeout: 120_000 }, () => {
    let stack: Stack
    let org: Org
    let agent: Proc
    const roles: Record<string, string> = {}
    let expiredEmu: { app: Emulator; url: string }
    let otherAudEmu: { app: Emulator; url: string }
    const cleanupPids: number[] = []

    beforeAll(async () => {
      stack = await startStack(await stackOptions())
      org = await createOrg(stack, 'acme')
      await ensureProvider(stack.emulatorUrl, org.issuer, [org.audience])
      const good = generatedTrustPolicy(org)
      for (const name of ['deployer', 'env-override', 'var-override', 'plan-reader'])
        roles[name] = await createRole(stack.emulatorUrl, name, good)
      const otherSub = generatedTrustPolicy(org)
      const cond = otherSub['Statement'][0]['Condition']
      const host = org.issuer.replace(/^https?:\/\//u, '')
      delete cond['StringLike']
      cond['StringEquals'][`${host}:sub`] =
        `org:${org.id}:project:prj_other:environment:env_other:type:deploy`
      roles['strict-sub'] = await createRole(stack.emulatorUrl, 'strict-sub', otherSub)
      const noTag = generatedTrustPolicy(org)
      noTag['Statement'][0]['Action'] = ['sts:AssumeRoleWithWebIdentity']
      delete noTag['Statement'][0]['Condition']['StringEquals']['aws:RequestTag/organizationId']
      roles['no-tagsession'] = await createRole(stack.emulatorUrl, 'no-tagsession', noTag)

      // An emulator whose clock runs 13 minutes ahead: a fresh token (10-minute lifetime) has
      // expired there, while SigV4-signed IAM calls stay within AWS's 15-minute skew window.
      expiredEmu = await inProcessEmulator({ now: () => new Date(Date.now() + 780_000) })
      await ensureProvider(expiredEmu.url, org.issuer, [org.audience])
      await createRole(expiredEmu.url, 'deployer', good)
      // An emulator whose provider lists another audience than the organization's.
      otherAudEmu = await inProcessEmulator()
      await ensureProvider(otherAudEmu.url, org.issuer, ['sts.amazonaws.com'])
      await createRole(otherAudEmu.url, 'deployer', good)

      agent = stack.startAgent(org.agentToken, { concurrency: 4 })
    }, 180_000)

    afterAll(async () => {
      for (const pid of cleanupPids) {
        try {
          process.kill(-pid, 'SIGKILL')
        } catch {
          // gone
        }
      }
      await stack?.stop()
      await expiredEmu?.app.close()
      await otherAudEmu?.app.close()
    })

    const WHOAMI = (): string => whoamiStep(stack.dir)
    const credential = (extra: Record<string, unknown> = {}) => ({
      roleArn: roles['deployer'],
      stsEndpoint: stack.emulatorUrl,
      ...extra,
    })

    async function runToEnd(
      steps: Array<{ name: string; run: string }>,
      extra: Parameters<typeof createEnv>[2] extends infer O ? Partial<O> : never = {},
      type = 'deploy',
    ): Promise<{ d: Json; log: string }> {
      const env = await createEnv(stack, org, {
        steps,
        credential: credential(),
        ...extra,
      })
      const id = await deploy(stack, env, type)
      const d = await waitStatus(stack, id)
      return { d, log: await logText(stack, id) }
    }

    describe('credentials through OIDC', () => {
      it.concurrent(
        'succeeds; the step calls GetCallerIdentity with the issued credentials',
        async () => {
          const { d, log } = await runToEnd([{ name: 'whoami', run: WHOAMI() }])
          expect(d.status, log).toBe('succeeded')
          expect(log).toContain(
            `caller identity: arn:aws:sts::${ACCOUNT}:assumed-role/deployer/${d.id}`,
          )
          expect(d.assumedRoleArn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/deployer/${d.id}`)
          expect(log).toMatch(/token subject: +org:/u)
        },
      )

      it.concurrent('static keys (refresh off) work the same', async () => {
        const { d, log } = await runToEnd([{ name: 'whoami', run: WHOAMI() }], {
          credential: credential({ refresh: false }),
        })
        expect(d.status, log).toBe('succeeded')
        expect(log).toContain(`assumed-role/deployer/${d.id}`)
      })

      it.concurrent('the environment role override wins', async () => {
        const { d, log } = await runToEnd([{ name: 'whoami', run: WHOAMI() }], {
          roleArnOverride: roles['env-override']!,
        })
        expect(d.status, log).toBe('succeeded')
        expect(log).toContain(`caller identity: arn:aws:sts::${ACCOUNT}:assumed-role/env-override/`)
        expect(log).toContain('(role from environment-override)')
      })

      it.concurrent('the variable KEYLESS_AWS_ROLE_ARN overrides the role', async () => {
        const { d, log } = await runToEnd([{ name: 'whoami', run: WHOAMI() }], {
          variables: { KEYLESS_AWS_ROLE_ARN: { value: roles['var-override']! } },
        })
        expect(d.status, log).toBe('succeeded')
        expect(log).toContain(`caller identity: arn:aws:sts::${ACCOUNT}:assumed-role/var-override/`)
        expect(log).toContain('(role from variable:KEYLESS_AWS_ROLE_ARN)')
      })

      it.concurrent('the env0 alias ENV0_AWS_ROLE_ARN overrides the role too', async () => {
        const { d, log } = await runToEnd([{ name: 'whoami', run: WHOAMI() }], {
          variables: { ENV0_AWS_ROLE_ARN: { value: roles['var-override']! } },
        })
        expect(d.status, log).toBe('succeeded')
        expect(log).toContain(`caller identity: arn:aws:sts::${ACCOUNT}:assumed-role/var-override/`)
        expect(log).toContain('(role from variable:ENV0_AWS_ROLE_ARN)')
      })

      // Real-client check of the container-credentials format: the Debian AWS CLI (botocore).
      // AWS CLI 2.9 predates AWS_ENDPOINT_URL_STS, hence --endpoint-url.
      const hasAwsCli = existsSync(AWS_CLI) || requireAwsClients
      it.skipIf(!hasAwsCli)("the AWS CLI reads refresh mode's credential endpoint", async () => {
        const { d, log } = await runToEnd([
          {
            name: 'aws',
            run: `"${AWS_CLI}" --endpoint-url "$AWS_ENDPOINT_URL_STS" sts get-caller-identity --query Arn --output text`,
          },
        ])
        expect(d.status, log).toBe('succeeded')
        expect(log).toContain(`arn:aws:sts::${ACCOUNT}:assumed-role/deployer/${d.id}`)
      })

      it.concurrent('a plan deployment assumes the plan role', async () => {
        const { d, log } = await runToEnd(
          [{ name: 'whoami', run: WHOAMI() }],
          { credential: credential({ planRoleArn: roles['plan-reader'] }) },
          'plan',
        )
        expect(d.status, log).toBe('succeeded')
        expect(log).toContain(`caller identity: arn:aws:sts::${ACCOUNT}:assumed-role/plan-reader/`)
      })
    })

    describe('keyless deploy', () => {
      const cli = async (args: string[]): Promise<{ code: number | null; out: string }> => {
        const proc = startProcess(args, {
          KEYLESS_API_KEY: stack.adminKey,
          KEYLESS_SERVER_URL: stack.serverUrl,
        })
        const code = await new Promise<number | null>((resolve) =>
          proc.child.once('exit', (c) => resolve(c)),
        )
        return { code, out: proc.output() }
      }

      it.concurrent(
        '--wait streams the log and exits 0 on success, 1 with the reason on failure',
        async () => {
          const ok = await createEnv(stack, org, {
            steps: [{ name: 'hello', run: 'echo hello-from-the-step' }],
            credential: credential(),
          })
          const good = await cli(['deploy', '--environment', ok.environmentId, '--wait'])
          expect(good.code, good.out).toBe(0)
          expect(good.out).toMatch(/^queued deploy dep_/mu)
          expect(good.out).toContain('hello-from-the-step')
          expect(good.out).toMatch(/deployment dep_\S+ succeeded/u)

          const bad = await createEnv(stack, org, {
            steps: [{ name: 'never', run: 'echo never' }],
            credential: credential({ durationSeconds: 7200 }),
          })
          const failed = await cli([
            'deploy',
            '--environment',
            bad.environmentId,
            '--type',
            'plan',
            '--wait',
          ])
          expect(failed.code, failed.out).toBe(1)
          expect(failed.out).toMatch(/^queued plan dep_/mu)
          expect(failed.out).toContain('exceeds the MaxSessionDuration')
          // The failure block once: in the log, not again after it.
          expect(failed.out.split('AWS said:').length - 1, failed.out).toBe(1)
        },
      )
    })

    describe('failures say what to fix', () => {
      const common = (d: Json, code: string) => {
        expect(d.status).toBe('failed')
        const m: string = d.failure?.message ?? ''
        expect(d.failure?.code).toBe(code)
        expect(m).toMatch(/role: +arn:aws:iam::123456789012:role\//u)
        expect(m).toMatch(/duration: +\d+ s asked/u)
        expect(m).toContain(`iss=${org.issuer} aud=${org.audience} sub=org:${org.id}:project:`)
        return m
      }

      it.concurrent('wrong audience', async () => {
        const { d } = await runToEnd([{ name: 'never', run: 'echo never' }], {
          credential: credential({ stsEndpoint: otherAudEmu.url }),
        })
        const m = common(d, 'InvalidIdentityToken')
        expect(m).toMatch(/^The token's audience "aws:org_[^"]+" is not a client ID/u)
        expect(m).toContain('Incorrect token audience')
        expect(m).toContain('the keyless emulator explains:')
      })

      it.concurrent('wrong sub', async () => {
        const { d } = await runToEnd([{ name: 'never', run: 'echo never' }], {
          credential: credential({ roleArn: roles['strict-sub'] }),
        })
        const m = common(d, 'AccessDenied')
        expect(m).toMatch(/^The trust policy of strict-sub does not accept this token/u)
        expect(m).toContain('the keyless emulator explains:')
        expect(m).toMatch(/:sub/u)
      })

      it.concurrent('a role that does not exist', async () => {
        const { d } = await runToEnd([{ name: 'never', run: 'echo never' }], {
          credential: credential({ roleArn: 'arn:aws:iam::123456789012:role/does-not-exist' }),
        })
        const m = common(d, 'AccessDenied')
        expect(m).toMatch(/^The role does-not-exist does not exist in the account 123456789012/u)
        expect(m).not.toMatch(/^The trust policy/u)
      })

      it.concurrent('missing sts:TagSession', async () => {
        const { d } = await runToEnd([{ name: 'never', run: 'echo never' }], {
          credential: credential({ roleArn: roles['no-tagsession'] }),
        })
        const m = common(d, 'AccessDenied')
        expect(m).toContain('must also allow sts:TagSession')
        expect(m).toMatch(/TagSession/u)
        expect(m).toContain('the keyless emulator explains:')
      })

      it.concurrent('duration above MaxSessionDuration', async () => {
        const { d } = await runToEnd([{ name: 'never', run: 'echo never' }], {
          credential: credential({ durationSeconds: 7200 }),
        })
        const m = common(d, 'ValidationError')
        expect(m).toMatch(
          /^The requested DurationSeconds \(7200\) exceeds the MaxSessionDuration set for the role deployer\./u,
        )
        expect(m).toContain('duration:  7200 s asked')
      })

      it.concurrent('expired token', async () => {
        const { d } = await runToEnd([{ name: 'never', run: 'echo never' }], {
          credential: credential({ stsEndpoint: expiredEmu.url }),
        })
        const m = common(d, 'ExpiredTokenException')
        expect(m).toMatch(/^The token had expired when AWS checked it/u)
      })
    })

    describe('logs, cancel', () => {
      it.concurrent(
        'masks keys, session token, OIDC token and sensitive variables, even split across writes',
        async () => {
          const secretsFile = join(stack.dir, `secrets-${Date.now()}.txt`)
          const split = (v: string) =>
            `printf '%s' "$(printf '%s' "$${v}" | cut -c1-6)"; sleep 0.3; printf '%s\\n' "$(printf '%s' "$${v}" | cut -c7-)"`
          const { d, log } = await runToEnd(
            [
              {
                name: 'print',
                run: [
                  `printf '%s\\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$KEYLESS_OIDC_TOKEN" "$DB_PASSWORD" > ${secretsFile}`,
                  'echo "key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY"',
                  'echo "session=$AWS_SESSION_TOKEN"',
                  'echo "oidc=$KEYLESS_OIDC_TOKEN env0=$ENV0_OIDC_TOKEN"',
                  'echo "password=$DB_PASSWORD plain=$PLAIN" >&2',
                  split('AWS_SECRET_ACCESS_KEY'),
                  split('DB_PASSWORD'),
                ].join('; '),
              },
            ],
            {
              credential: credential({ refresh: false }),
              variables: {
                DB_PASSWORD: { value: 'correct-horse-battery-staple', sensitive: true },
                PLAIN: { value: 'not-a-secret' },
              },
            },
          )
          expect(d.status, log).toBe('succeeded')
          const secrets = readFileSync(secretsFile, 'utf8').trim().split('\n')
          expect(secrets).toHaveLength(5)
          for (const s of secrets) {
            expect(s.length).toBeGreaterThan(8)
            expect(log).not.toContain(s)
            expect(log).not.toContain(s.slice(6))
          }
          expect(log).toContain('key=*** secret=***')
          expect(log).toContain('oidc=*** env0=***')
          expect(log).toContain('password=*** plain=not-a-secret')
        },
      )

      it.concurrent('cancel stops the step process group and ends cancelled', async () => {
        const pidFile = join(stack.dir, `pid-${Date.now()}`)
        const env = await createEnv(stack, org, {
          steps: [{ name: 'long', run: `echo $$ > ${pidFile}; echo started; sleep 60` }],
          credential: credential(),
        })
        const id = await deploy(stack, env)
        await until(async () => (await logText(stack, id)).includes('started'), 'the step')
        const pid = Number(readFileSync(pidFile, 'utf8'))
        await stack.api('POST', `/api/v1/deployments/${id}/cancel`)
        const d = await waitStatus(stack, id)
        expect(d.status).toBe('cancelled')
        await until(() => !pidAlive(pid), 'the step process to end', 10_000)
      })
    })

    describe('minting switch', () => {
      it('stopped minting fails the deployment with that reason', async () => {
        await stack.api('PATCH', `/api/v1/organizations/${org.id}`, { mintingStopped: true })
        try {
          const { d } = await runToEnd([{ name: 'never', run: 'echo never' }])
          expect(d.status).toBe('failed')
          expect(d.failure?.message).toMatch(/stopped all token minting/u)
        } finally {
          await stack.api('PATCH', `/api/v1/organizations/${org.id}`, { mintingStopped: false })
        }
      })
    })

    describe('leases', () => {
      let leaseOrg: Org
      const agents: Proc[] = []
      beforeAll(async () => {
        await agent.kill()
        leaseOrg = await createOrg(stack, 'leases')
      })
      afterAll(async () => {
        await Promise.all(agents.map((a) => a.kill()))
      })

      it('an agent killed with SIGKILL mid-deployment leaves it failed "agent lost"', async () => {
        const pidFile = join(stack.dir, 'lost.pid')
        const env = await createEnv(stack, leaseOrg, {
          steps: [{ name: 'long', run: `echo $$ > ${pidFile}; echo started; sleep 60` }],
        })
        const doomed = stack.startAgent(leaseOrg.agentToken, { concurrency: 1, name: 'doomed' })
        agents.push(doomed)
        const id = await deploy(stack, env)
        await until(async () => (await logText(stack, id)).includes('started'), 'the step', 60_000)
        cleanupPids.push(Number(readFileSync(pidFile, 'utf8')))
        await doomed.kill('SIGKILL')
        const d = await waitStatus(stack, id, undefined, (LEASE_SECONDS + 15) * 1000)
        expect(d.status).toBe('failed')
        expect(d.message ?? d.failure?.message).toMatch(/agent lost/u)
      }, 90_000)

      it('one killed after claiming but before starting: requeued and run once', async () => {
        const marker = join(stack.dir, 'requeued-runs.txt')
        const env = await createEnv(stack, leaseOrg, {
          steps: [{ name: 'once', run: `echo "$KEYLESS_DEPLOYMENT_ID" >> ${marker}; echo ran` }],
        })
        const id = await deploy(stack, env)
        // An agent claims it and dies before reporting `running` (nothing more is sent).
        const claim = await stack.apiRaw(
          'POST',
          '/agent/v1/claim',
          { waitSeconds: 5, agentName: 'dies-after-claim' },
          leaseOrg.agentToken,
        )
        expect(claim.status).toBe(200)
        expect((await claim.json()).deployment.id).toBe(id)
        const healthy = stack.startAgent(leaseOrg.agentToken, { concurrency: 1, name: 'healthy' })
        agents.push(healthy)
        const d = await waitStatus(stack, id, undefined, (LEASE_SECONDS + 20) * 1000)
        expect(d.status).toBe('succeeded')
        expect(readFileSync(marker, 'utf8').trim().split('\n')).toEqual([id])
        await healthy.kill()
      }, 60_000)

      it('two agents racing for 50 deployments run each exactly once', async () => {
        const runs = join(stack.dir, 'race-runs.txt')
        const env = await createEnv(stack, leaseOrg, {
          steps: [{ name: 'record', run: `echo "$KEYLESS_DEPLOYMENT_ID" >> ${runs}` }],
        })
        const ids: string[] = []
        for (let i = 0; i < 50; i++) ids.push(await deploy(stack, env, 'task'))
        agents.push(stack.startAgent(leaseOrg.agentToken, { concurrency: 2, name: 'racer-1' }))
        agents.push(stack.startAgent(leaseOrg.agentToken, { concurrency: 2, name: 'racer-2' }))
        let finals: Json[] = []
        await until(
          async () => {
            const page = await stack.api(
              'GET',
              `/api/v1/organizations/${leaseOrg.id}/deployments?limit=200`,
            )
            finals = (page.items as Json[]).filter((d) => ids.includes(d.id))
            return finals.every((d) => ['succeeded', 'failed', 'cancelled'].includes(d.status))
          },
          'all 50 deployments to finish',
          150_000,
        )
        expect(finals).toHaveLength(50)
        expect(finals.every((d) => d.status === 'succeeded')).toBe(true)
        const lines = existsSync(runs) ? readFileSync(runs, 'utf8').trim().split('\n') : []
        expect(lines.sort()).toEqual([...ids].sort())
        const byAgent = new Set(finals.map((d) => String(d.agentName).replace(/#\d+$/u, '')))
        expect(byAgent.size).toBeGreaterThanOrEqual(1)
      }, 180_000)
    })
  })
}
