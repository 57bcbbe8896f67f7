/**
 * `keyless emulator` serves Google on --gcp-port: alone (`--clouds gcp`, the admin token from
 * --admin-token, a full exchange from a loopback issuer), and beside AWS and Entra by default,
 * sharing one decision log.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { keylessArgs } from '../../support/cli.js'
import { startTestIssuer, type TestIssuer } from '../../support/test-issuer.js'
import { ACCESS, CLOUD_PLATFORM, GRANT, JWT, MAPPING, call } from './harness.js'

interface Started {
  readonly child: ChildProcess
  readonly urls: Record<string, string>
}

const children: ChildProcess[] = []
const issuers: TestIssuer[] = []

/** Starts `keyless emulator` and waits for the listening lines it prints for `expected` clouds. */
async function start(args: string[], expected: readonly string[]): Promise<Started> {
  const child = spawn(
    process.execPath,
    [...keylessArgs, 'emulator', '--log-level', 'warn', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  children.push(child)
  let out = ''
  let err = ''
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`emulator did not start: ${out}${err}`)),
      30_000,
    )
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const found: Record<string, string> = {}
      for (const [name, re] of [
        ['aws', /keyless emulator listening on (http:\/\/\S+)/u],
        ['azure', /Entra ID emulator listening on (https:\/\/\S+)/u],
        ['gcp', /Google emulator listening on (http:\/\/\S+)/u],
      ] as const) {
        const m = re.exec(out)
        if (m?.[1] !== undefined) found[name] = m[1]
      }
      if (expected.every((c) => found[c] !== undefined)) {
        clearTimeout(timer)
        resolve(found)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`emulator exited with ${code ?? 'signal'}: ${err}`))
    })
  })
  return { child, urls }
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
  for (const i of issuers) await i.close()
})

describe('keyless emulator serves Google', () => {
  it('--clouds gcp: only the Google port; pool, provider and an STS exchange with --admin-token', async () => {
    const { urls } = await start(
      ['--clouds', 'gcp', '--gcp-port', '0', '--admin-token', 't0p'],
      ['gcp'],
    )
    expect(Object.keys(urls)).toEqual(['gcp'])
    const g = urls['gcp'] ?? ''
    expect((await call(g, 'GET', '/_keyless/health')).json).toEqual({ ok: true })
    const issuer = await startTestIssuer({ audience: 'https://prod.example' })
    issuers.push(issuer)
    const admin = { authorization: 'Bearer t0p', 'content-type': 'application/json' }
    const pools = '/v1/projects/42/locations/global/workloadIdentityPools'
    expect(
      (
        await call(g, 'POST', `${pools}?workloadIdentityPoolId=p-one`, {
          headers: { ...admin, authorization: 'Bearer test' },
          body: '{}',
        })
      ).status,
    ).toBe(401)
    expect(
      (
        await call(g, 'POST', `${pools}?workloadIdentityPoolId=p-one`, {
          headers: admin,
          body: '{}',
        })
      ).status,
    ).toBe(200)
    const provider = await call(
      g,
      'POST',
      `${pools}/p-one/providers?workloadIdentityPoolProviderId=o-one`,
      {
        headers: admin,
        body: JSON.stringify({
          attributeMapping: MAPPING,
          attributeCondition: "assertion.environment == 'prod'",
          oidc: { issuerUri: issuer.url, allowedAudiences: ['https://prod.example'] },
        }),
      },
    )
    expect(provider.status, provider.text).toBe(200)
    const form = new URLSearchParams({
      grant_type: GRANT,
      audience: `//iam.googleapis.com/projects/42/locations/global/workloadIdentityPools/p-one/providers/o-one`,
      scope: CLOUD_PLATFORM,
      requested_token_type: ACCESS,
      subject_token_type: JWT,
      subject_token: await issuer.mint({ sub: 'env:prod', environment: 'prod' }),
    })
    const r = await call(g, 'POST', '/v1/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    expect(r.status, r.text).toBe(200)
    const d = await call(g, 'GET', '/_keyless/decisions?cloud=gcp')
    expect(d.json.decisions[0]).toMatchObject({
      cloud: 'gcp',
      decision: 'allowed',
      action: 'token',
    })
  })

  it('by default beside AWS and Entra, one decision log on every port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyless-gcp-process-'))
    const { urls } = await start(
      ['--port', '0', '--azure-port', '0', '--gcp-port', '0', '--data-dir', dataDir],
      ['aws', 'azure', 'gcp'],
    )
    const g = urls['gcp'] ?? ''
    await call(g, 'POST', '/v1/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=x',
    })
    const fromAws = await call(urls['aws'] ?? '', 'GET', '/_keyless/decisions?cloud=gcp')
    expect(fromAws.json.decisions[0]).toMatchObject({
      cloud: 'gcp',
      decision: 'denied',
      errorCode: 'invalid_request',
    })
  })
})
