/**
 * Static issuer publication to an S3-compatible server (moto_server, on a random loopback port),
 * served the way a private bucket is served in production (a CDN reading it with signed requests).
 * The control plane's `--issuer-url` names the CDN, so the emulator fetches the discovery document
 * and the JWKS from the published copy only: a deployment's exchange succeeds through it. A
 * rotated-in key is published there while still pending, and signs once active; `keyless issuer
 * publish --to DIR` writes the same two documents.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keylessArgs } from '../support/cli.js'
import { MOTO_SERVER, requireMoto } from '../support/env.js'
import { freePort, startStack, type Json, type Stack } from '../e2e/support/stack.js'
import { deploy, trustedOrg, until, waitStatus, whoamiEnv } from '../e2e/support/world.js'

const motoInstalled = spawnSync(MOTO_SERVER, ['--help'], { stdio: 'ignore' }).status === 0
if (!motoInstalled && requireMoto)
  throw new Error(`${MOTO_SERVER} is required (KEYLESS_REQUIRE_MOTO=1)`)

const BUCKET = 'keyless-issuer'
const PREFIX = 'prod'
const S3_KEYS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }

function keyless(...args: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [...keylessArgs, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: tmpdir(), ...S3_KEYS },
    timeout: 60_000,
  })
  return { status: run.status, out: `${run.stdout}${run.stderr}` }
}

interface Cdn {
  readonly url: string
  close(): Promise<void>
}

/**
 * What serves a private bucket publicly in production (CloudFront with origin access): GETs
 * answered from the bucket's prefix with signed S3 requests, content type and cache control as
 * stored. (moto routes some unsigned GETs, such as keys ending in .json, to other services.)
 */
async function startCdn(s3: S3Client): Promise<Cdn> {
  const server = createServer((req, res) => {
    const key = `${PREFIX}${(req.url ?? '/').split('?')[0]}`
    s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })).then(
      async (object) => {
        res.writeHead(200, {
          'content-type': object.ContentType ?? 'application/octet-stream',
          'cache-control': object.CacheControl ?? 'no-store',
        })
        res.end(await object.Body?.transformToString())
      },
      () => res.writeHead(404).end(),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

describe.skipIf(!motoInstalled)('static issuer publication (S3 on moto_server)', () => {
  let moto: ChildProcess
  let motoUrl: string
  let issuer: string
  let stack: Stack
  let cdn: Cdn

  beforeAll(async () => {
    const port = await freePort()
    motoUrl = `http://127.0.0.1:${port}`
    moto = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' })
    await until(async () => (await fetch(motoUrl).catch(() => undefined)) !== undefined, 'moto')
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: motoUrl,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    })
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }))
    cdn = await startCdn(s3)
    issuer = cdn.url
    stack = await startStack({
      serverArgs: [
        '--issuer-url',
        issuer,
        '--publish-issuer',
        `s3://${BUCKET}/${PREFIX}`,
        '--s3-endpoint-url',
        motoUrl,
        '--key-prepublish',
        '15',
      ],
      serverEnv: S3_KEYS,
    })
  }, 90_000)
  afterAll(async () => {
    await stack?.stop()
    await cdn?.close()
    moto?.kill('SIGKILL')
  })

  const published = async (name: string): Promise<{ type: string | null; body: Json }> => {
    const res = await fetch(`${issuer}/.well-known/${name}`)
    expect(res.status).toBe(200)
    return { type: res.headers.get('content-type'), body: await res.json() }
  }
  const kidsAt = async (): Promise<string[]> =>
    ((await published('jwks.json')).body.keys as Json[]).map((k) => k.kid as string)

  it('publishes both documents where --issuer-url says, with JSON content types', async () => {
    const discovery = await published('openid-configuration')
    expect(discovery.type).toBe('application/json; charset=utf-8')
    expect(discovery.body).toMatchObject({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` })
    const jwks = await published('jwks.json')
    expect(jwks.type).toBe('application/json; charset=utf-8')
    const served = await (await fetch(`${stack.serverUrl}/.well-known/jwks.json`)).json()
    expect(jwks.body).toEqual(served)
  })

  it('the emulator verifies tokens through the published copy, before and after a rotation', async () => {
    const { org, roleArn } = await trustedOrg(stack, 'private')
    expect(org.issuer).toBe(issuer)
    const env = await whoamiEnv(stack, org, roleArn)
    stack.startAgent(org.agentToken)
    expect((await waitStatus(stack, await deploy(stack, env))).status).toBe('succeeded')

    const rotated = keyless(
      'keys',
      'rotate',
      '--data-dir',
      join(stack.dir, 'data'),
      '--prepublish',
      '15',
      '--json',
    )
    expect(rotated.status).toBe(0)
    const key: Json = JSON.parse(rotated.out).key
    await until(
      async () => (await kidsAt()).includes(key.kid),
      'the new key to be published',
      20_000,
    )
    // Published while it does not sign yet.
    expect(Date.parse(key.activatesAt)).toBeGreaterThan(Date.now())

    await until(() => Date.now() > Date.parse(key.activatesAt) + 500, 'activation', 30_000)
    const id = await deploy(stack, env)
    expect((await waitStatus(stack, id)).status).toBe('succeeded')
    const audit = await stack.api('GET', `/api/v1/organizations/${org.id}/audit?deploymentId=${id}`)
    const mint = (audit.items as Json[]).find((e) => e.action === 'token.minted')
    expect(mint.details.kid).toBe(key.kid)
  }, 120_000)

  it('keyless issuer publish --to DIR writes the same documents', async () => {
    const dir = join(stack.dir, 'static-issuer')
    const res = keyless(
      'issuer',
      'publish',
      '--to',
      dir,
      '--data-dir',
      join(stack.dir, 'data'),
      '--issuer-url',
      issuer,
    )
    expect(res).toMatchObject({ status: 0 })
    const read = (name: string): Json =>
      JSON.parse(readFileSync(join(dir, '.well-known', name), 'utf8'))
    expect(read('openid-configuration')).toEqual((await published('openid-configuration')).body)
    expect(read('jwks.json')).toEqual((await published('jwks.json')).body)
  }, 60_000)
})
