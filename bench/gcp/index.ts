/**
 * Google emulator benchmark (docs/gcp.md): STS token exchanges at `POST /v1/token`, every request
 * a distinct RS256 subject token, against a provider with an attribute mapping (google.subject +
 * a custom attribute) and an attribute condition — side by side in one run with the AWS
 * emulator's AssumeRoleWithWebIdentity on the same kind of tokens and the Fastify ceiling.
 */
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { processEnv } from '../../src/shared/config/load.js'
import { keylessBuiltArgs, REPO_ROOT } from '../../test/support/cli.js'
import { startEmulatorProcess } from '../../test/support/emulator-process.js'
import type { BenchSection } from '../types.js'
import {
  freePort,
  luaPostLines,
  mintTokens,
  startCeiling,
  stopChild,
  THREADS,
  waitFor,
  wrk,
  wrkRow,
  WRK_COLUMNS,
  type WrkResult,
} from '../support/wrk.js'

const ACCOUNT = '123456789012'
const NUMBER = '123456789012'
const PROVIDER = `projects/${NUMBER}/locations/global/workloadIdentityPools/bench/providers/bench-oidc`
const AUDIENCE = `//iam.googleapis.com/${PROVIDER}`
const POOL = Number(processEnv()['KEYLESS_BENCH_TOKEN_POOL'] ?? 40_000)
export const BENCH_MAPPING = {
  'google.subject': 'assertion.sub',
  'attribute.env': 'assertion.environment',
  'attribute.org': 'assertion.organizationId',
}
export const BENCH_CONDITION =
  "attribute.org == 'org-bench' && assertion.sub.startsWith('env:') && attribute.env in ['bench', 'prod']"

function issuer(jwk: object): Promise<{ url: string; close: () => void }> {
  let url = ''
  const server = createHttpServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration')
      res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks` }))
    else res.end(JSON.stringify({ keys: [jwk] }))
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      resolve({ url, close: () => server.close() })
    }),
  )
}

async function admin(base: string, path: string, body: unknown): Promise<void> {
  const r = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (r.status !== 200) throw new Error(`${path}: ${await r.text()}`)
}

async function setupProvider(gcpUrl: string, issuerUrl: string): Promise<void> {
  const pools = `/v1/projects/${NUMBER}/locations/global/workloadIdentityPools`
  await admin(gcpUrl, `${pools}?workloadIdentityPoolId=bench`, {})
  await admin(gcpUrl, `${pools}/bench/providers?workloadIdentityPoolProviderId=bench-oidc`, {
    attributeMapping: BENCH_MAPPING,
    attributeCondition: BENCH_CONDITION,
    oidc: { issuerUri: issuerUrl },
  })
}

function seedFile(dir: string, issuerUrl: string): string {
  const host = issuerUrl.slice('http://'.length)
  const file = join(dir, 'seed.json')
  const trustPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com', [`${host}:sub`]: 'env:bench' },
        },
      },
    ],
  }
  writeFileSync(
    file,
    JSON.stringify({
      providers: [{ url: issuerUrl, clientIds: ['sts.amazonaws.com'] }],
      roles: [{ name: 'bench', trustPolicy }],
    }),
  )
  return file
}

function linesFile(dir: string, name: string, lines: readonly string[]): string {
  const file = join(dir, name)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString()

async function probe(url: string, body: string): Promise<void> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })
  if (r.status !== 200) throw new Error(`warm-up of ${url} failed: ${await r.text()}`)
}

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-bench-gcp-'))
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' }
  const iss = await issuer(jwk)
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const started = Date.now()
  const claims = {
    iss: iss.url,
    sub: 'env:bench',
    environment: 'bench',
    organizationId: 'org-bench',
  }
  const gcpTokens = await mintTokens({
    pem,
    kid: 'bench',
    claims: { ...claims, aud: AUDIENCE },
    count: POOL,
  })
  const awsTokens = await mintTokens({
    pem,
    kid: 'bench',
    claims: { ...claims, aud: 'sts.amazonaws.com' },
    count: POOL,
  })
  const mintMs = Date.now() - started
  const gcpPort = await freePort()
  const emulator = await startEmulatorProcess(
    ['--gcp-port', String(gcpPort), '--seed', seedFile(dir, iss.url)],
    {},
    keylessBuiltArgs,
  )
  const gcpUrl = `http://127.0.0.1:${gcpPort}`
  if (!(await waitFor(`${gcpUrl}/_keyless/health`, 30_000)))
    throw new Error('the Google emulator did not start')
  await setupProvider(gcpUrl, iss.url)
  const sts = gcpTokens.map((t) =>
    form({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: AUDIENCE,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      subject_token: t,
    }),
  )
  const aws = awsTokens.map((t) =>
    form({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/bench`,
      RoleSessionName: 'bench',
      WebIdentityToken: t,
    }),
  )
  const stsBodies = linesFile(dir, 'sts.txt', sts)
  const awsBodies = linesFile(dir, 'aws.txt', aws)
  const luaSts = linesFile(dir, 'sts.lua', [luaPostLines('/v1/token')])
  const luaAws = linesFile(dir, 'aws.lua', [luaPostLines('/')])
  await probe(`${gcpUrl}/v1/token`, sts[0] ?? '')
  await probe(emulator.endpoint, aws[0] ?? '')

  const ceiling = await startCeiling(REPO_ROOT)
  const pid = emulator.child.pid
  const results: Array<[string, WrkResult]> = [
    [
      'Fastify, fixed 1 KB body (HTTP ceiling)',
      wrk(`${ceiling.url}v1/token`, luaSts, [stsBodies, THREADS], ceiling.child.pid),
    ],
    [
      'keyless AWS emulator, AssumeRoleWithWebIdentity',
      wrk(emulator.endpoint, luaAws, [awsBodies, THREADS], pid),
    ],
    [
      'keyless Google emulator, STS token exchange (mapping + condition)',
      wrk(`${gcpUrl}/v1/token`, luaSts, [stsBodies, THREADS], pid),
    ],
  ]
  await stopChild(ceiling.child)
  await emulator.stop()
  iss.close()
  return section(results, mintMs)
}

function section(results: Array<[string, WrkResult]>, mintMs: number): BenchSection {
  const [base, aws, gcp] = results.map(([, r]) => r) as [WrkResult, WrkResult, WrkResult]
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`
  return {
    title: 'Google emulator: STS exchanges beside AssumeRoleWithWebIdentity',
    notes: [
      `wrk ${THREADS} threads, 16 connections, 10 s per subject, loopback, plain HTTP. Each request carries a distinct RS256 subject token from a pool of ${POOL} per cloud (minted before the run on two worker threads in ${(mintMs / 1000).toFixed(1)} s). ` +
        `The Google emulator verifies every token (issuer discovery and JWKS cached, never a result), evaluates the provider's attribute mapping (${Object.keys(BENCH_MAPPING).join(', ')}) and condition \`${BENCH_CONDITION}\` with @bufbuild/cel, and stores an opaque federated token per answer. ` +
        'The AWS and Google emulators run in one `keyless emulator` process (from the build, bin/keyless.js), one subject after the other; the ceiling is Fastify answering a fixed 1 KB body. ' +
        `"server CPU µs/request" is the server process's user + system CPU time divided by the requests it answered. Load average (1 min) when the section started: ${(loadavg()[0] ?? 0).toFixed(1)} (2 cores shared with other work).`,
    ],
    columns: [...WRK_COLUMNS],
    rows: results.map(([name, r]) => wrkRow(name, r)),
    targets: [
      {
        target: 'STS exchange vs the HTTP ceiling (reported)',
        measured: ratio(gcp.rps, base.rps),
        met: true,
      },
      {
        target: 'STS exchange vs AssumeRoleWithWebIdentity (reported)',
        measured: ratio(gcp.rps, aws.rps),
        met: true,
      },
      {
        target: 'no errors (non-2xx)',
        measured: `${gcp.errors + aws.errors}`,
        met: gcp.errors + aws.errors === 0,
      },
    ],
  }
}
