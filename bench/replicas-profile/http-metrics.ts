/** Requests and the seconds the server spent on them, by `METHOD route`. */
export type RouteTimes = Map<string, { count: number; seconds: number }>

const SERIES = /^keyless_http_request_duration_seconds_(sum|count)\{([^}]*)\} (\S+)$/u

function label(labels: string, name: string): string {
  return new RegExp(`${name}="([^"]*)"`, 'u').exec(labels)?.[1] ?? '?'
}

/** Reads a replica's `GET /metrics` (src/server/metrics.ts; loopback clients may scrape). */
export async function scrapeRoutes(url: string): Promise<RouteTimes> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const out: RouteTimes = new Map()
  for (const line of text.split('\n')) {
    const m = SERIES.exec(line)
    if (m === null) continue
    const key = `${label(m[2]!, 'method')} ${label(m[2]!, 'route')}`
    const entry = out.get(key) ?? { count: 0, seconds: 0 }
    if (m[1] === 'sum') entry.seconds += Number(m[3])
    else entry.count += Number(m[3])
    out.set(key, entry)
  }
  return out
}

/** `after - before`, summed over the replicas. */
export function routesSince(
  before: readonly RouteTimes[],
  after: readonly RouteTimes[],
): RouteTimes {
  const out: RouteTimes = new Map()
  after.forEach((map, i) => {
    for (const [key, a] of map) {
      const b = before[i]?.get(key) ?? { count: 0, seconds: 0 }
      const entry = out.get(key) ?? { count: 0, seconds: 0 }
      entry.count += a.count - b.count
      entry.seconds += a.seconds - b.seconds
      if (entry.count > 0) out.set(key, entry)
    }
  })
  return out
}
