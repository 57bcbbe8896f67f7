/**
 * Where a token's signature is checked: on the main thread, or on the libuv threadpool. On a
 * machine with a spare core the threadpool takes the RSA or ECDSA arithmetic off the event loop,
 * which then only parses, evaluates and answers (BENCHMARKS.md "Where the time goes"); on one
 * core the hand-off would cost and gain nothing. `keyless emulator` sizes the threadpool to one
 * thread fewer than the cores (bin/keyless.cjs), so its threads do not crowd out the event loop.
 * The result is never cached: every call checks its signature.
 */
import { availableParallelism } from 'node:os'
import { verify as cryptoVerify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto'

/** One check: the hash, the signed bytes, the key (with its DSA encoding for ECDSA), the signature. */
export interface SignatureCheck {
  readonly hash: string
  readonly data: Uint8Array
  readonly key: KeyObject | VerifyKeyObjectInput
  readonly signature: Uint8Array
}

/** `auto`: on the threadpool when this process may use more than one core. */
export type VerifyOn = 'auto' | 'main' | 'pool'

/** Whether checks run on the threadpool for a `VerifyOn` setting. */
export function verifiesOnPool(on: VerifyOn, cores = availableParallelism()): boolean {
  return on === 'auto' ? cores > 1 : on === 'pool'
}

/** True when the signature verifies; a promise when the check runs on the threadpool. */
export function checkSignature(check: SignatureCheck, onPool: boolean): boolean | Promise<boolean> {
  if (!onPool)
    try {
      return cryptoVerify(check.hash, check.data, check.key, check.signature)
    } catch {
      return false
    }
  return new Promise<boolean>((resolve) => {
    try {
      cryptoVerify(check.hash, check.data, check.key, check.signature, (error, ok) =>
        resolve(error === null && ok),
      )
    } catch {
      resolve(false)
    }
  })
}
