// Token minting through `POST /api/v1/deployments/{id}/oidc-token` on a real listening
// `keyless server` (and `idp.mint()` in-process), against raw node:crypto RS256 signing of the
// same claims, all in one run (issue 2, point 10: target ≥ 0.7× the raw rate through HTTP).
import type { BenchSection } from '../types.js'
import { withMintServer, type HttpMintRun } from './http.js'
import { benchContext, benchProvider } from './in-process.js'
import { asyncRate, rawSigner, syncRate } from './raw.js'

const SECONDS = 8
const IN_FLIGHT = 16

export async function run(): Promise<BenchSection> {
  const { idp, close } = await benchProvider()
  const sample = await idp.mint(benchContext)
  const raw = rawSigner(
    Object.fromEntries(
      Object.entries(sample.claims).filter(([k]) => !['iat', 'nbf', 'exp', 'jti'].includes(k)),
    ),
  )
  const ms = SECONDS * 1000
  const rawRates: number[] = []
  let seq: number
  let par: number
  try {
    rawRates.push(syncRate(raw, ms))
    seq = await asyncRate(() => idp.mint(benchContext), ms, 1)
    par = await asyncRate(() => idp.mint(benchContext), ms, IN_FLIGHT)
  } finally {
    await close()
  }
  const http: Array<[number, HttpMintRun]> = await withMintServer(async (measure) => {
    const runs: Array<[number, HttpMintRun]> = []
    for (const connections of [1, IN_FLIGHT])
      runs.push([connections, await measure(SECONDS, connections)])
    return runs
  })
  rawRates.push(syncRate(raw, ms))

  const rawRate = rawRates.reduce((a, b) => a + b, 0) / rawRates.length
  const bestHttp = Math.max(...http.map(([, r]) => r.rate))
  const ratio = bestHttp / rawRate
  const x = (rate: number): string => (rate / rawRate).toFixed(2)
  return {
    title: 'Token minting vs raw RS256 signing',
    notes: [
      `Raw: a compact RS256 JWS of the same claim set (${sample.token.length}-byte token) built with node:crypto alone, ` +
        `synchronously on one thread, ${SECONDS} s before and ${SECONDS} s after the keyless runs (the mean of both: ` +
        `${rawRates.map((r) => Math.round(r)).join(' and ')} tokens/s).`,
      'HTTP: `keyless server` started from source as its own process (SQLite, RS256) on a loopback port; ' +
        'autocannon in the benchmark process sends `POST /api/v1/deployments/{id}/oidc-token` with the owner key over ' +
        'keep-alive connections. Each request authenticates the key, resolves the deployment, its environment, ' +
        'credential and variables, mints (claims, session-tag checks, jose signing with the cached CryptoKey) and ' +
        'writes the audit row.',
      'In-process: `idp.mint()` alone. jose signs on the libuv threadpool, so with several requests in flight it can ' +
        'use the second core, which the synchronous raw baseline does not; the machine has 2 cores shared with other work.',
    ],
    columns: ['subject', 'tokens/s', '× raw', 'p50 / p99 (ms)'],
    rows: [
      ['raw node:crypto RS256 (same claims)', Math.round(rawRate), '1.00', '-'],
      ['idp.mint() in-process, 1 in flight', Math.round(seq), x(seq), '-'],
      [`idp.mint() in-process, ${IN_FLIGHT} in flight`, Math.round(par), x(par), '-'],
      ...http.map(
        ([c, r]) =>
          [
            `HTTP oidc-token, ${c} connection${c === 1 ? '' : 's'}`,
            Math.round(r.rate),
            x(r.rate),
            `${r.p50} / ${r.p99}`,
          ] as const,
      ),
    ],
    targets: [
      {
        target: 'minting through the HTTP endpoint ≥ 0.7× raw RS256 signing',
        measured: `${ratio.toFixed(2)}×`,
        met: ratio >= 0.7,
      },
    ],
  }
}
