/**
 * A module loaded on first use, once: `const iam = lazyModule(() => import('@aws-sdk/client-iam'))`
 * then `const { IAMClient } = await iam()`. A control plane that never calls IAM, S3 or CEL does not
 * hold those libraries (idle RSS, BENCHMARKS.md). A failed load is tried again on the next call.
 */
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined
      throw error
    })
    return loading
  }
}
