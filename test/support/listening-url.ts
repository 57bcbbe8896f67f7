/**
 * The URL a keyless process (or a benchmark floor) prints once it listens (`… listening on URL`),
 * read from its stdout; rejects when it exits first or does not print it within `timeoutMs`.
 */
import type { ChildProcess } from 'node:child_process'

export function listeningUrl(
  child: ChildProcess,
  what: string,
  stderr: () => string,
  timeoutMs = 30_000,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start: ${stderr()}`)),
      timeoutMs,
    )
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/u.exec(out)
      if (m?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited with ${code ?? 'signal'}: ${stderr()}`))
    })
  })
}
