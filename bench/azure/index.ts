/**
 * Entra emulator benchmark (docs/azure.md): token exchanges at `POST /{tenant}/oauth2/v2.0/token`,
 * every request a client assertion of its own (a distinct RS256 token), side by side in one run
 * with the AWS emulator's AssumeRoleWithWebIdentity on the same kind of tokens and the Fastify
 * ceiling (a fixed 1 KB body). wrk over TLS for Entra (every Azure client insists on https),
 * plain HTTP for the others, as clients reach them.
 */
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { processEnv } from '../../src/shared/config/load.js'
import { get, post } from '../../src/runner/clouds/http.js'
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
  wrk,
  wrkRow,
  WRK_COLUMNS,
  type WrkResult,
} from '../support/wrk.js'

const ACCOUNT = '123456789012'
const TENANT = '8a1f5c2e-0d4b-4c67-9e1a-3b5f7d9c2e10'
const AUDIENCE = 'api://AzureADTokenExchange'
const POOL = Number(processEnv()['KEYLESS_BENCH_TOKEN_POOL'] ?? 40_000)

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

/** An app registration whose federated credential trusts the bench issuer's `env:bench`. */
async function registerApp(azureUrl: string, ca: string, issuerUrl: string): Promise<string> {
  const options = {
    headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
    extraCa: ca,
  }
  const app = JSON.parse(
    (await post(`${azureUrl}/v1.0/applications`, '{"displayName":"bench"}', options)).body,
  ) as { id: string; appId: string }
  const fic = { name: 'bench', issuer: issuerUrl, subject: 'env:bench', audiences: [AUDIENCE] }
  const r = await post(
    `${azureUrl}/v1.0/applications/${app.id}/federatedIdentityCredentials`,
    JSON.stringify(fic),
    options,
  )
  if (r.status !== 201) throw new Error(`FIC create failed: ${r.body}`)
  return app.appId
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

/** The Entra listener starts after the AWS one: wait for its CA, then for its health. */
async function caOf(file: string, azureUrl: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    if (existsSync(file)) {
      const ca = readFileSync(file, 'utf8')
      const ok = await get(`${azureUrl}/_keyless/health`, { headers: {}, extraCa: ca }).catch(
        () => undefined,
      )
      if (ok?.status === 200) return ca
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`the Entra emulator did not start at ${azureUrl}`)
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString()

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-bench-azure-'))
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' }
  const iss = await issuer(jwk)
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const started = Date.now()
  const entraTokens = await mintTokens({
    pem,
    kid: 'bench',
    claims: { iss: iss.url, aud: AUDIENCE, sub: 'env:bench' },
    count: POOL,
  })
  const awsTokens = await mintTokens({
    pem,
    kid: 'bench',
    claims: { iss: iss.url, aud: 'sts.amazonaws.com', sub: 'env:bench' },
    count: POOL,
  })
  const mintMs = Date.now() - started
  const azurePort = await freePort()
  const data = join(dir, 'emulator')
  const emulator = await startEmulatorProcess(
    ['--azure-port', String(azurePort), '--data-dir', data, '--seed', seedFile(dir, iss.url)],
    {},
    keylessBuiltArgs,
  )
  const azureUrl = `https://127.0.0.1:${azurePort}`
  const ca = await caOf(join(data, 'emulator-ca.pem'), azureUrl)
  const appId = await registerApp(azureUrl, ca, iss.url)
  const tokenPath = `/${TENANT}/oauth2/v2.0/token`
  const entra = entraTokens.map((t) =>
    form({
      client_id: appId,
      scope: 'https://management.azure.com/.default',
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: t,
    }),
  )
  const entraBodies = linesFile(dir, 'entra.txt', entra)
  const awsBodies = linesFile(
    dir,
    'aws.txt',
    awsTokens.map((t) =>
      form({
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/bench`,
        RoleSessionName: 'bench',
        WebIdentityToken: t,
      }),
    ),
  )
  const luaEntra = linesFile(dir, 'entra.lua', [luaPostLines(tokenPath)])
  const luaAws = linesFile(dir, 'aws.lua', [luaPostLines('/')])
  const probe = await post(`${azureUrl}${tokenPath}`, entra[0] ?? '', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    extraCa: ca,
  })
  if (probe.status !== 200) throw new Error(`Entra warm-up failed: ${probe.body}`)
  const awsProbe = await post(
    emulator.endpoint,
    readFileSync(awsBodies, 'utf8').split('\n')[0] ?? '',
    {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
  )
  if (awsProbe.status !== 200) throw new Error(`AWS warm-up failed: ${awsProbe.body}`)

  const ceiling = await startCeiling(REPO_ROOT)
  const at = (base: string): string => `${base.replace(/\/$/u, '')}${tokenPath}`
  const pid = emulator.child.pid
  const results: Array<[string, WrkResult]> = [
    [
      'Fastify, fixed 1 KB body (HTTP ceiling)',
      wrk(at(ceiling.url), luaEntra, [entraBodies, THREADS], ceiling.child.pid),
    ],
    [
      'keyless AWS emulator, AssumeRoleWithWebIdentity',
      wrk(emulator.endpoint, luaAws, [awsBodies, THREADS], pid),
    ],
    [
      'keyless Entra emulator, client-assertion token exchange (TLS)',
      wrk(at(azureUrl), luaEntra, [entraBodies, THREADS], pid),
    ],
  ]
  await stopChild(ceiling.child)
  await emulator.stop()
  iss.close()
  return section(results, mintMs)
}

function section(results: Array<[string, WrkResult]>, mintMs: number): BenchSection {
  const [base, aws, entra] = results.map(([, r]) => r) as [WrkResult, WrkResult, WrkResult]
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`
  return {
    title: 'Entra emulator: token exchanges beside AssumeRoleWithWebIdentity',
    notes: [
      `wrk ${THREADS} threads, 16 connections, 10 s per subject, loopback. Each request carries a distinct RS256 assertion from a pool of ${POOL} per cloud (minted before the run on two worker threads in ${(mintMs / 1000).toFixed(1)} s). ` +
        'The Entra emulator verifies every assertion (issuer discovery and JWKS cached, never a result), matches the federated credential and signs a 3-part RS256 access token per answer; it is served over TLS, as every Azure client requires. ' +
        'The AWS and Entra emulators run in one `keyless emulator` process (from the build, bin/keyless.js), one subject after the other; the ceiling is Fastify answering a fixed 1 KB body over plain HTTP. ' +
        '"server CPU µs/request" is the server process\'s user + system CPU time divided by the requests it answered.',
    ],
    columns: [...WRK_COLUMNS],
    rows: results.map(([name, r]) => wrkRow(name, r)),
    targets: [
      {
        target: 'Entra exchange vs the HTTP ceiling (reported)',
        measured: ratio(entra.rps, base.rps),
        met: true,
      },
      {
        target: 'Entra exchange vs AssumeRoleWithWebIdentity (reported)',
        measured: ratio(entra.rps, aws.rps),
        met: true,
      },
      {
        target: 'no errors (non-2xx)',
        measured: `${entra.errors + aws.errors}`,
        met: entra.errors + aws.errors === 0,
      },
    ],
  }
}
