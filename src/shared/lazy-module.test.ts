import { describe, expect, it } from 'vitest'
import { lazyModule } from './lazy-module.js'

describe('lazyModule', () => {
  it('loads on the first call only, and every caller gets the same module', async () => {
    let loads = 0
    const mod = lazyModule(() => Promise.resolve({ n: ++loads }))
    expect(loads).toBe(0)
    const [a, b] = await Promise.all([mod(), mod()])
    expect(await mod()).toBe(a)
    expect(b).toBe(a)
    expect(loads).toBe(1)
  })

  it('tries again after a failed load', async () => {
    let loads = 0
    const mod = lazyModule(() => {
      loads += 1
      return loads === 1
        ? Promise.reject(new Error('not there yet'))
        : Promise.resolve({ ok: true })
    })
    await expect(mod()).rejects.toThrow('not there yet')
    expect(await mod()).toEqual({ ok: true })
    expect(loads).toBe(2)
  })
})
