/**
 * What the trust commands read and write, injectable so that the CLI is tested in-process:
 * output streams, standard input, the clock, the exit code. Also reads `FILE`, `-` and `@file`
 * inputs with clear errors (missing file, binary data).
 */
import { readFile } from 'node:fs/promises'
import { systemClock, type Clock } from '../shared/clock.js'
import { KeylessError } from '../shared/errors.js'

export interface CommandIo {
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
  readStdin(): Promise<Buffer>
  readonly clock: Clock
  setExitCode(code: number): void
}

export const processIo: CommandIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  async readStdin() {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  },
  clock: systemClock,
  setExitCode(code) {
    process.exitCode = code
  },
}

/** At most this many bytes are read from a file or stdin (inputs are policies and tokens). */
export const MAX_INPUT_BYTES = 1_048_576

function text(bytes: Buffer, name: string): string {
  if (bytes.length > MAX_INPUT_BYTES)
    throw new KeylessError(
      'input_unreadable',
      `${name} is ${bytes.length} bytes, over the limit of ${MAX_INPUT_BYTES}`,
    )
  if (bytes.includes(0)) throw new KeylessError('input_unreadable', `${name} is binary, not text`)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new KeylessError('input_unreadable', `${name} is not UTF-8 text`)
  }
}

/** Reads a file path, or standard input for `-`. */
export async function readPathOrStdin(
  spec: string,
  io: CommandIo,
): Promise<{ readonly text: string; readonly name: string }> {
  if (spec === '-') return { text: text(await io.readStdin(), 'standard input'), name: '<stdin>' }
  let bytes: Buffer
  try {
    bytes = await readFile(spec)
  } catch (error) {
    const code = (error as { code?: string }).code
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? 'unreadable')
    throw new KeylessError('input_unreadable', `cannot read ${spec}: ${why}`)
  }
  return { text: text(bytes, spec), name: spec }
}

/** A value given inline, as `@file`, or as `-` (standard input). */
export async function readValue(spec: string, io: CommandIo): Promise<string> {
  if (spec === '-' || spec.startsWith('@'))
    return (await readPathOrStdin(spec === '-' ? '-' : spec.slice(1), io)).text.trim()
  return spec.trim()
}

/** Parses an integer option, or throws a usage error naming it. */
export function intOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/u.test(value) || Number(value) < min || Number(value) > max)
    throw new KeylessError(
      'usage_error',
      `${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`,
    )
  return Number(value)
}

/** An option that takes one of a few words, or a usage error naming it and them. */
export function choiceOption<T extends string>(
  value: string,
  name: string,
  allowed: readonly T[],
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new KeylessError(
    'usage_error',
    `${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`,
  )
}
