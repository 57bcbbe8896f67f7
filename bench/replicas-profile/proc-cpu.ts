import { readFileSync } from 'node:fs'

/** CPU seconds of one process: its own (user + system) and those of its children it reaped. */
export interface CpuTimes {
  readonly self: number
  readonly children: number
}

/** USER_HZ: /proc counts CPU time in clock ticks, 100 a second on Linux (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100

/** From /proc/<pid>/stat (proc(5)); undefined once the process is gone. */
export function cpuOf(pid: number | undefined): CpuTimes | undefined {
  if (pid === undefined) return undefined
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  // Field 3 is the state; utime, stime, cutime, cstime are fields 14 to 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const tick = (i: number): number => Number(fields[i - 3] ?? 0) / TICKS_PER_SECOND
  return { self: tick(14) + tick(15), children: tick(16) + tick(17) }
}

/** `after - before`, field by field (zero when either is missing). */
export function cpuSince(before: CpuTimes | undefined, after: CpuTimes | undefined): CpuTimes {
  if (before === undefined || after === undefined) return { self: 0, children: 0 }
  return { self: after.self - before.self, children: after.children - before.children }
}
