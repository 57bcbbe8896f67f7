import { mkdtempSync, readFileSync, existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../shared/clock.js'
import { SecretSet } from './mask.js'
import { TokenKeeper } from './token-keeper.js'

describe('TokenKeeper', () => {
  it('writes the token file 0600 and re-mints when a third of the lifetime is left', async () => {
    const clock = new ManualClock()
    const secrets = new SecretSet()
    let n = 0
    const file = join(mkdtempSync(join(tmpdir(), 'keyless-token-')), 'oidc-token')
    const keeper = new TokenKeeper({
      mintToken: () => {
        n += 1
        return Promise.resolve({
          token: `token-number-${n}`,
          expiresAt: new Date(clock.now().getTime() + 600_000).toISOString(),
        })
      },
      file,
      clock,
      secrets,
      system: () => undefined,
    })
    await keeper.mint()
    expect(readFileSync(file, 'utf8')).toBe('token-number-1')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    clock.advance(390_000) // 210 s left of 600: more than a third
    await keeper.check()
    expect(n).toBe(1)
    clock.advance(20_000) // 190 s left: less than a third
    await keeper.check()
    expect(n).toBe(2)
    expect(readFileSync(file, 'utf8')).toBe('token-number-2')
    expect(secrets.mask('token-number-1 token-number-2')).toBe('*** ***')
    await keeper.stop()
    expect(existsSync(file)).toBe(false)
  })
})
