/** Quoting for generated code: HCL strings, Terraform resource names, POSIX shell words. */

/** An HCL string literal: JSON escapes plus HCL's template escapes (`${` → `$${`, `%{` → `%%{`). */
export const hclString = (s: string): string =>
  JSON.stringify(s)
    .replace(/\$\{/gu, () => '$${')
    .replace(/%\{/gu, () => '%%{')

/** A Terraform resource name from any text. */
export const tfName = (s: string): string =>
  s.replace(/[^A-Za-z0-9_]/gu, '_').replace(/^(\d)/u, '_$1')

/** A single-quoted shell word. */
export const sh = (s: string): string => `'${s.replace(/'/gu, `'\\''`)}'`
