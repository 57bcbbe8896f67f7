/**
 * Emulator benchmark (issue 4 §7): wrk from a separate process, 16 connections, 10 s, every
 * AssumeRoleWithWebIdentity request carrying its own pre-minted RS256 token (the emulator caches
 * JWKS keys, never verification results). Side by side in the same run: a Fastify endpoint that
 * returns a fixed 1 KB XML body (the HTTP ceiling) and moto_server on the same workload; plus
 * GetCallerIdentity (SigV4 verification) from a pool of pre-signed requests.
 */
import { spawn } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { createServer as createHttpServer } from 'node:http'
import { processEnv } from '../../src/shared/config/load.js'
import { keylessBuiltArgs, REPO_ROOT } from '../../test/support/cli.js'
import { startEmulatorProcess } from '../../test/support/emulator-process.js'
import { startFloor } from '../support/floor-process.js'
import type { StsFloorConfig } from '../floors/sts-floor.js'
import type { BenchSection } from '../types.js'
import {
  CONNECTIONS,
  DURATION,
  emulatorThreadpoolSize,
  freePort,
  luaLines,
  luaPostLines,
  mintTokens,
  startCeiling,
  stopChild,
  THREADS,
  waitFor,
  pin,
  placement,
  verifyOn,
  wrk,
  wrkRow,
  WRK_COLUMNS,
  type WrkResult,
} from '../support/wrk.js'

const ACCOUNT = '123456789012'
const ADMIN = { accessKeyId: 'bench', secretAccessKey: 'bench-secret' }
/** Tokens minted before the run: one per request for 10 s at up to 5,000 requests/s. */
const POOL = Number(processEnv()['KEYLESS_BENCH_TOKEN_POOL'] ?? 50_000)

const LUA_SIGNED =
  luaLines(`  local date, auth, token = line:match("([^\\t]+)\\t([^\\t]+)\\t([^\\t]+)")
  return wrk.format("POST", "/", {
    ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8",
    ["X-Amz-Date"] = date, ["Authorization"] = auth, ["X-Amz-Security-Token"] = token,
  }, "Action=GetCallerIdentity&Version=2011-06-15")`)

export async function run(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'keyless-bench-emulator-'))
  const notes: string[] = []

  // Issuer: discovery + JWKS served from this process (fetched once by the emulator, then cached).
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' }
  const issuerServer = createHttpServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration')
      res.end(JSON.stringify({ issuer: issuerUrl, jwks_uri: `${issuerUrl}/jwks` }))
    else res.end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r))
  const issuerUrl = `http://127.0.0.1:${(issuerServer.address() as { port: number }).port}`
  const host = issuerUrl.slice('http://'.length)

  // Token pool, minted on two worker threads.
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const started = Date.now()
  const tokens = await mintTokens({
    pem,
    kid: 'bench',
    claims: { iss: issuerUrl, aud: 'sts.amazonaws.com', sub: 'repo:org/app:ref:refs/heads/main' },
    count: POOL,
  })
  const mintMs = Date.now() - started
  process.stderr.write(`bench emulator: minted ${tokens.length} tokens in ${mintMs} ms\n`)
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/bench`
  const bodies = tokens.map((t) =>
    new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: roleArn,
      RoleSessionName: 'bench',
      WebIdentityToken: t,
    }).toString(),
  )
  const bodiesFile = join(dir, 'bodies.txt')
  writeFileSync(bodiesFile, `${bodies.join('\n')}\n`)
  const luaBodies = join(dir, 'bodies.lua')
  writeFileSync(luaBodies, luaPostLines('/'))

  // Emulator, from the build, in its own process, seeded with the provider and the role.
  const seedFile = join(dir, 'seed.json')
  writeFileSync(
    seedFile,
    JSON.stringify({
      providers: [{ url: issuerUrl, clientIds: ['sts.amazonaws.com'] }],
      roles: [
        {
          name: 'bench',
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: {
                  StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com' },
                  StringLike: { [`${host}:sub`]: 'repo:org/*' },
                },
              },
            ],
          },
        },
      ],
    }),
  )
  const emulator = await startEmulatorProcess(
    [
      '--account-id',
      ACCOUNT,
      '--access-key-id',
      ADMIN.accessKeyId,
      '--secret-access-key',
      ADMIN.secretAccessKey,
      '--seed',
      seedFile,
    ],
    { KEYLESS_EMULATOR_VERIFY_ON: verifyOn() },
    keylessBuiltArgs,
  )
  const warm = await fetch(emulator.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: bodies[0] ?? '',
  })
  const warmText = await warm.text()
  if (warm.status !== 200) throw new Error(`emulator warm-up failed: ${warmText}`)
  pin(emulator.child.pid)

  // The HTTP ceiling: Fastify answering a fixed 1 KB XML body, also in its own process.
  const ceiling = await startCeiling(REPO_ROOT)
  pin(ceiling.child.pid)

  const results: Array<[string, WrkResult | undefined]> = []
  results.push([
    'Fastify, fixed 1 KB XML (HTTP ceiling)',
    wrk(ceiling.url, luaBodies, [bodiesFile, THREADS], ceiling.child.pid),
  ])
  const arwwi = wrk(emulator.endpoint, luaBodies, [bodiesFile, THREADS], emulator.child.pid)
  results.push(['keyless emulator, AssumeRoleWithWebIdentity', arwwi])
  const arwwiFloor = await floorRun(
    join(dir, 'floor-verify.json'),
    { mode: 'verify', jwk, verifyOn: verifyOn(), bodyBytes: Buffer.byteLength(warmText) },
    { method: 'POST', body: tamper(bodies[0] ?? '') },
    (url, pid) => wrk(url, luaBodies, [bodiesFile, THREADS], pid),
  )
  results.push(['floor: node:http + one RS256 verify, fixed answer', arwwiFloor])

  // GetCallerIdentity with the session credentials, from pre-signed requests.
  const assumed = await (
    await fetch(emulator.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: bodies[1] ?? '',
    })
  ).text()
  const pick = (tag: string): string =>
    new RegExp(`<${tag}>([^<]+)</${tag}>`, 'u').exec(assumed)?.[1] ?? ''
  const creds = {
    accessKeyId: pick('AccessKeyId'),
    secretAccessKey: pick('SecretAccessKey'),
    sessionToken: pick('SessionToken'),
  }
  const signer = new SignatureV4({
    service: 'sts',
    region: 'us-east-1',
    sha256: Sha256,
    credentials: creds,
    applyChecksum: false,
  })
  const emulatorHost = emulator.endpoint.slice('http://'.length)
  const signedLines: string[] = []
  for (let n = 0; n < 2000; n += 1) {
    const req = new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/',
      headers: {
        host: emulatorHost,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    })
    const signed = await signer.sign(req, {
      signingDate: new Date(Date.now() - n * 250),
      signableHeaders: new Set(['host', 'content-type']),
    })
    signedLines.push(
      `${signed.headers['x-amz-date'] ?? ''}\t${signed.headers['authorization'] ?? ''}\t${creds.sessionToken}`,
    )
  }
  const signedFile = join(dir, 'signed.txt')
  writeFileSync(signedFile, `${signedLines.join('\n')}\n`)
  const luaSigned = join(dir, 'signed.lua')
  writeFileSync(luaSigned, LUA_SIGNED)
  const check = signedLines[0]!.split('\t')
  const probe = await fetch(emulator.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-amz-date': check[0]!,
      authorization: check[1]!,
      'x-amz-security-token': check[2]!,
    },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  })
  const probeText = await probe.text()
  if (probe.status !== 200) throw new Error(`GetCallerIdentity probe failed: ${probeText}`)
  const gci = wrk(emulator.endpoint, luaSigned, [signedFile, THREADS], emulator.child.pid)
  results.push(['keyless emulator, GetCallerIdentity (SigV4 verified)', gci])
  const gciFloor = await floorRun(
    join(dir, 'floor-sigv4.json'),
    {
      mode: 'sigv4',
      secretAccessKey: creds.secretAccessKey,
      signedHost: emulatorHost,
      bodyBytes: Buffer.byteLength(probeText),
    },
    {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'x-amz-date': check[0]!,
        authorization: tamper(check[1]!),
        'x-amz-security-token': check[2]!,
      },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    },
    (url, pid) => wrk(url, luaSigned, [signedFile, THREADS], pid),
  )
  results.push(['floor: node:http + SigV4 check (one SHA-256, one HMAC), fixed answer', gciFloor])
  await emulator.stop()
  await stopChild(ceiling.child)

  // moto_server on the same AssumeRoleWithWebIdentity workload, if it is installed.
  let moto: WrkResult | undefined
  const motoPort = await freePort()
  const motoProc = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(motoPort)], {
    stdio: 'ignore',
  })
  const motoUp = await new Promise<boolean>((resolve) => {
    motoProc.once('error', () => resolve(false))
    void waitFor(`http://127.0.0.1:${motoPort}/`, 20_000).then(resolve)
  })
  if (motoUp) {
    pin(motoProc.pid)
    moto = wrk(`http://127.0.0.1:${motoPort}/`, luaBodies, [bodiesFile, THREADS], motoProc.pid)
    results.push(['moto_server 5.2, AssumeRoleWithWebIdentity (validates nothing)', moto])
    await stopChild(motoProc)
  } else {
    notes.push('moto_server is not installed on this machine: the moto comparison was skipped.')
  }
  issuerServer.close()

  const base = results[0]![1]!
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`
  notes.unshift(
    `wrk ${THREADS} threads, ${CONNECTIONS} connections, ${DURATION} per subject, loopback; each subject in its own process. ` +
      `AssumeRoleWithWebIdentity bodies carry distinct RS256 tokens from a pool of ${tokens.length} (minted before the run with node:crypto sign on two worker threads, in ${(mintMs / 1000).toFixed(1)} s; ` +
      `each used once unless a subject sends more requests than the pool holds; the emulator caches JWKS keys, never verification results). ` +
      `The emulator runs from the build (bin/keyless.js, dist/ built by npm run bench before the sections) with --log-level warn and in-memory state; its trust policy has an aud StringEquals and a sub StringLike condition. ` +
      `GetCallerIdentity replays ${signedLines.length} pre-signed requests (every one verified again). ` +
      "The floors (bench/floors/sts-floor.ts, each in its own process, same load) do only the work no STS emulator can skip and answer a fixed body as long as the emulator's: " +
      `for AssumeRoleWithWebIdentity, reading the form and one RS256 verify of its token where the emulator checks it (${verifyOn() === 'pool' ? 'on the libuv threadpool, sized one thread fewer than the cores as bin/keyless.js sizes it for keyless emulator' : 'on the main thread: pinned to one core after it starts, the emulator is told --verify-on main, what auto chooses on one core'}); ` +
      'for GetCallerIdentity, the SigV4 check (canonical request, one SHA-256, one HMAC with the kept signing key). ' +
      'What the emulator spends beyond a floor is its own work. ' +
      `${placement()} Other work may share the machine: the load average (1 min) before and after each subject is shown next to its numbers, ` +
      `and "server CPU µs/request" is the user + system CPU time of the server process divided by the requests it answered (less sensitive to load than requests/s).`,
  )
  if (arwwi.requests > tokens.length)
    notes.push(
      `The emulator served ${arwwi.requests} AssumeRoleWithWebIdentity requests, more than the ${tokens.length} tokens of the pool: tokens were reused from request ${tokens.length + 1} on (still verified every time).`,
    )
  const rows = results.map(([name, r]) => wrkRow(name, r))
  const targets = [
    {
      target: 'AssumeRoleWithWebIdentity ≥ 0.35× the HTTP ceiling',
      measured: ratio(arwwi.rps, base.rps),
      met: arwwi.rps >= 0.35 * base.rps,
    },
    moto === undefined
      ? { target: 'AssumeRoleWithWebIdentity ≥ 25× moto', measured: 'moto absent', met: false }
      : {
          target: 'AssumeRoleWithWebIdentity ≥ 25× moto',
          measured: ratio(arwwi.rps, moto.rps),
          met: arwwi.rps >= 25 * moto.rps,
        },
    {
      target: 'AssumeRoleWithWebIdentity p99 ≤ 10 ms',
      measured: `${arwwi.p99.toFixed(2)} ms`,
      met: arwwi.p99 <= 10,
    },
    {
      target: 'GetCallerIdentity (SigV4 verified) ≥ 0.4× the HTTP ceiling',
      measured: ratio(gci.rps, base.rps),
      met: gci.rps >= 0.4 * base.rps,
    },
    {
      target: 'no errors (non-2xx) from the emulator',
      measured: `${arwwi.errors + gci.errors}`,
      met: arwwi.errors + gci.errors === 0,
    },
    {
      target: 'the floors verified every request (non-2xx)',
      measured: `${arwwiFloor.errors + gciFloor.errors}`,
      met: arwwiFloor.errors + gciFloor.errors === 0,
    },
    {
      target:
        'AssumeRoleWithWebIdentity floor vs the HTTP ceiling (reported: the most any emulator could reach)',
      measured: ratio(arwwiFloor.rps, base.rps),
      met: true,
    },
    {
      target:
        "AssumeRoleWithWebIdentity vs its floor; server CPU per request over the floor's (reported)",
      measured: `${ratio(arwwi.rps, arwwiFloor.rps)}; ${ratio(arwwi.cpuUs, arwwiFloor.cpuUs)}`,
      met: true,
    },
    {
      target: 'GetCallerIdentity floor vs the HTTP ceiling (reported)',
      measured: ratio(gciFloor.rps, base.rps),
      met: true,
    },
    {
      target: "GetCallerIdentity vs its floor; server CPU per request over the floor's (reported)",
      measured: `${ratio(gci.rps, gciFloor.rps)}; ${ratio(gci.cpuUs, gciFloor.cpuUs)}`,
      met: true,
    },
  ]
  return {
    title: 'AWS emulator: AssumeRoleWithWebIdentity and GetCallerIdentity',
    notes,
    columns: [...WRK_COLUMNS],
    rows,
    targets,
  }
}

/**
 * `text` with its tenth character from the end changed: a signature that no longer verifies (the
 * last base64url character of an RSA signature may carry only padding bits).
 */
function tamper(text: string): string {
  const at = text.length - 10
  return text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1)
}

/**
 * Runs `load` against a floor (bench/floors/sts-floor.ts) started with `config`, then stops it;
 * first checks that the floor refuses the `tampered` request (so it really verifies).
 */
async function floorRun(
  file: string,
  config: StsFloorConfig,
  tampered: RequestInit,
  load: (url: string, pid: number | undefined) => WrkResult,
): Promise<WrkResult> {
  writeFileSync(file, JSON.stringify(config))
  const floor = await startFloor('sts-floor.ts', [file], {
    UV_THREADPOOL_SIZE: emulatorThreadpoolSize(),
  })
  try {
    const refused = await fetch(floor.url, tampered)
    if (refused.status !== 403)
      throw new Error(`the ${config.mode} floor accepted a tampered request (${refused.status})`)
    pin(floor.child.pid)
    return load(floor.url, floor.child.pid)
  } finally {
    await stopChild(floor.child)
  }
}
