/**
 * gcloud (Google Cloud SDK 528, /usr/bin/gcloud; KEYLESS_GCLOUD) and the google-auth (Python) it
 * bundles, unmodified, against the Google emulator on loopback http: `gcloud auth login
 * --cred-file` with the external_account file keyless builds, then `gcloud auth
 * print-access-token`, in a throwaway CLOUDSDK_CONFIG (must-pass 61 and 62 with google-auth).
 * Skipped where gcloud is absent unless KEYLESS_REQUIRE_GCLOUD=1.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { realpathSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildExternalAccount } from '../../../src/federation/gcp/external-account.js'
import { GCLOUD, PYTHON, requireGcloud } from '../../support/env.js'
import { CLOUD_PLATFORM, N, SA, startGcpHarness, type GcpHarness } from './harness.js'

const run = promisify(execFile)
const available = existsSync(GCLOUD) || requireGcloud
/** google-auth as gcloud ships it (…/google-cloud-sdk/lib/third_party). */
const thirdParty = available ? join(dirname(realpathSync(GCLOUD)), '..', 'lib', 'third_party') : ''

interface Out {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

async function exec(file: string, args: string[], env: Record<string, string>): Promise<Out> {
  try {
    const { stdout, stderr } = await run(file, args, {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
      timeout: 120_000,
    })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string }
    return {
      code: typeof err.code === 'number' ? err.code : 1,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
    }
  }
}

describe.skipIf(!available)('gcloud and google-auth (Python) against the Google emulator', () => {
  let h: GcpHarness
  const dir = mkdtempSync(join(tmpdir(), 'keyless-gcloud-'))
  beforeAll(async () => {
    h = await startGcpHarness()
    await h.setup()
  })
  afterAll(async () => {
    await h.close()
  })

  async function credFile(
    name: string,
    claims: Record<string, unknown>,
    impersonate: boolean,
  ): Promise<string> {
    const token = join(dir, `${name}.jwt`)
    writeFileSync(token, await h.mint(claims))
    const file = join(dir, `${name}.json`)
    const json = buildExternalAccount({
      projectNumber: N,
      poolId: 'kl-pool',
      providerId: 'kl-oidc',
      tokenFile: token,
      stsEndpoint: h.origin,
      iamCredentialsEndpoint: h.origin,
      ...(impersonate ? { serviceAccountEmail: SA } : {}),
    })
    writeFileSync(file, JSON.stringify(json))
    return file
  }

  function gcloudEnv(name: string): Record<string, string> {
    const config = join(dir, `config-${name}`)
    return {
      CLOUDSDK_CONFIG: config,
      CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
      CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: 'true',
      CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: 'true',
      HOME: dir,
    }
  }

  it('gcloud auth login --cred-file, then print-access-token → the service account token (STS, then generateAccessToken)', async () => {
    const file = await credFile('imp', {}, true)
    const env = gcloudEnv('imp')
    h.seen.length = 0
    const login = await exec(GCLOUD, ['auth', 'login', `--cred-file=${file}`, '--quiet'], env)
    expect(login.code, login.stderr).toBe(0)
    expect(login.stderr).toContain(`Authenticated with external account credentials for: [${SA}]`)
    const printed = await exec(GCLOUD, ['auth', 'print-access-token'], env)
    expect(printed.code, printed.stderr).toBe(0)
    expect(printed.stdout.trim()).toMatch(/^ya29\.c\./u)
    expect(
      h.seen.every(
        (s) =>
          s === 'POST /v1/token' ||
          s === `POST /v1/projects/-/serviceAccounts/${SA}:generateAccessToken`,
      ),
    ).toBe(true)
    expect(h.seen).toContain(`POST /v1/projects/-/serviceAccounts/${SA}:generateAccessToken`)
  })

  it('gcloud with an unbound principal → the PERMISSION_DENIED text, non-zero exit', async () => {
    const file = await credFile('dev', { sub: 'env:dev', environment: 'dev' }, true)
    const env = gcloudEnv('dev')
    const login = await exec(GCLOUD, ['auth', 'login', `--cred-file=${file}`, '--quiet'], env)
    const printed =
      login.code === 0 ? await exec(GCLOUD, ['auth', 'print-access-token'], env) : login
    expect(printed.code).not.toBe(0)
    expect(printed.stderr).toContain('Unable to acquire impersonated credentials')
    expect(printed.stderr).toContain('"status":"PERMISSION_DENIED"')
    expect(printed.stderr).toContain('IAM_PERMISSION_DENIED')
  })

  it('gcloud with a malformed token file → "Error code invalid_grant: Unable to parse the ID Token."', async () => {
    const file = await credFile('bad', {}, true)
    writeFileSync(join(dir, 'bad.jwt'), 'abc')
    const env = gcloudEnv('bad')
    const login = await exec(GCLOUD, ['auth', 'login', `--cred-file=${file}`, '--quiet'], env)
    const printed =
      login.code === 0 ? await exec(GCLOUD, ['auth', 'print-access-token'], env) : login
    expect(printed.code).not.toBe(0)
    expect(printed.stderr).toContain('Error code invalid_grant: Unable to parse the ID Token.')
  })

  const python = (file: string): Promise<Out> =>
    exec(
      PYTHON,
      [
        '-c',
        `import google.auth, google.auth.transport.requests
c, project = google.auth.default(scopes=[${JSON.stringify(CLOUD_PLATFORM)}])
try:
    c.refresh(google.auth.transport.requests.Request())
    print(type(c).__name__, project, c.token)
except Exception as e:
    print('ERROR', type(e).__name__, e)`,
      ],
      {
        PYTHONPATH: thirdParty,
        GOOGLE_APPLICATION_CREDENTIALS: file,
        GOOGLE_CLOUD_PROJECT: 'proj',
        HOME: dir,
      },
    )

  it('61: google-auth default(scopes) with GOOGLE_CLOUD_PROJECT and loopback URLs → refreshed, only the emulator asked', async () => {
    const file = await credFile('py', {}, true)
    h.seen.length = 0
    const out = await python(file)
    expect(out.stdout, out.stderr).toMatch(/^Credentials proj ya29\.c\./mu)
    expect(h.seen).toEqual([
      'POST /v1/token',
      `POST /v1/projects/-/serviceAccounts/${SA}:generateAccessToken`,
    ])
  })

  it('62: fault mode with a fractional-second expireTime → "Unable to acquire impersonated credentials"', async () => {
    const faulty = await startGcpHarness({ fractionalExpireTime: true })
    try {
      await faulty.setup()
      const token = join(dir, 'frac.jwt')
      writeFileSync(token, await faulty.mint())
      const file = join(dir, 'frac.json')
      writeFileSync(
        file,
        JSON.stringify(
          buildExternalAccount({
            projectNumber: N,
            poolId: 'kl-pool',
            providerId: 'kl-oidc',
            tokenFile: token,
            stsEndpoint: faulty.origin,
            iamCredentialsEndpoint: faulty.origin,
            serviceAccountEmail: SA,
          }),
        ),
      )
      const out = await python(file)
      expect(out.stdout).toContain('ERROR RefreshError')
      expect(out.stdout).toContain('Unable to acquire impersonated credentials')
    } finally {
      await faulty.close()
    }
  })
})
