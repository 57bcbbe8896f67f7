/**
 * The changes of a PATCH as row columns: each column given a value other than `undefined` is
 * changed (null clears a nullable column); `undefined` leaves the column as it is.
 */
export type RowChanges<R> = { [K in keyof R]?: R[K] | undefined }

/** The row after the change (`next`) and the columns to write (`set`, only those given). */
export function patchRow<R extends object>(
  row: R,
  changes: RowChanges<R>,
): { next: R; set: Partial<R> } {
  const set: Partial<R> = {}
  for (const key of Object.keys(changes) as Array<keyof R>) {
    const value = changes[key]
    if (value !== undefined) set[key] = value
  }
  return { next: { ...row, ...set }, set }
}

/** A boolean input as the 0/1 column it is stored in; undefined stays undefined. */
export function flag(value: boolean | undefined): 0 | 1 | undefined {
  return value === undefined ? undefined : value ? 1 : 0
}
