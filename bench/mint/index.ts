// Token minting: `idp.mint()` in-process and `POST /api/v1/deployments/{id}/oidc-token` on a
// real listening `keyless server`, against raw node:crypto RS256 signing of the same claims, all
// in one run (issue 2, point 10: target ≥ 0.7× the raw rate through HTTP).
import type { BenchSection } from '../types.js'
import { benchContext, benchProvider } from './in-process.js'
import { asyncRate, rawSigner, syncRate } from './raw.js'

const SECONDS = 5
const CONCURRENCY = 16

export async function run(): Promise<BenchSection> {
  const { idp, close } = await benchProvider()
  const sample = await idp.mint(benchContext)
  const raw = rawSigner(
    Object.fromEntries(
      Object.entries(sample.claims).filter(([k]) => !['iat', 'nbf', 'exp', 'jti'].includes(k)),
    ),
  )
  const ms = SECONDS * 1000
  const rows: Array<[string, number]> = []
  let rawRates: number[] = []
  try {
    rawRates.push(syncRate(raw, ms))
    const seq = await asyncRate(() => idp.mint(benchContext), ms, 1)
    const par = await asyncRate(() => idp.mint(benchContext), ms, CONCURRENCY)
    rawRates.push(syncRate(raw, ms))
    rows.push(['idp.mint() in-process, 1 in flight', seq])
    rows.push([`idp.mint() in-process, ${CONCURRENCY} in flight`, par])
  } finally {
    await close()
  }
  rawRates = rawRates.filter((r) => r > 0)
  const rawRate = rawRates.reduce((a, b) => a + b, 0) / rawRates.length
  const best = Math.max(...rows.map(([, r]) => r))
  const ratio = best / rawRate
  return {
    title: 'Token minting vs raw RS256 signing',
    notes: [
      `Raw: a compact RS256 JWS of the same claim set (${sample.token.length}-byte token) built with node:crypto alone, ` +
        `synchronously, ${SECONDS} s before and after the keyless runs (mean of both). ` +
        'keyless: `idp.mint()` (claims, session-tag checks, subject template, digest, jose signing with the cached CryptoKey).',
      'The HTTP endpoint run is pending: the `keyless server` command had not landed when this was measured, ' +
        'so the ratio below is in-process.',
    ],
    columns: ['subject', 'tokens/s', '× raw'],
    rows: [
      ['raw node:crypto RS256 (same claims)', Math.round(rawRate), '1.00'],
      ...rows.map(([name, rate]) => [name, Math.round(rate), (rate / rawRate).toFixed(2)] as const),
    ],
    targets: [
      {
        target: 'minting ≥ 0.7× raw RS256 signing (in-process; HTTP pending)',
        measured: `${ratio.toFixed(2)}×`,
        met: ratio >= 0.7,
      },
    ],
  }
}
