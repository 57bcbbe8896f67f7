/**
 * IPv4 and IPv6 addresses and CIDR blocks, parsed into 16-bit groups (IPv4 uses 2 groups) so that
 * prefix comparison is the same code for both. A bare address is a /32 (IPv4) or /128 (IPv6).
 */
export interface Cidr {
  readonly version: 4 | 6
  readonly groups: readonly number[]
  readonly prefix: number
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/u

function parseV4(text: string): number[] | undefined {
  const m = V4.exec(text)
  if (m === null) return undefined
  const b = m.slice(1, 5).map(Number)
  if (b.some((x) => x > 255)) return undefined
  const [a = 0, c = 0, d = 0, e = 0] = b
  return [(a << 8) | c, (d << 8) | e]
}

function parseV6(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/u.test(text)) return undefined
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const side = (s: string): number[] | undefined => {
    if (s === '') return []
    const out: number[] = []
    const parts = s.split(':')
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p)
        if (v4 === undefined) return undefined
        out.push(...v4)
      } else if (/^[0-9a-fA-F]{1,4}$/u.test(p)) out.push(parseInt(p, 16))
      else return undefined
    }
    return out
  }
  const head = side(halves[0] as string)
  if (head === undefined) return undefined
  if (halves.length === 1) return head.length === 8 ? head : undefined
  const tail = side(halves[1] as string)
  if (tail === undefined || head.length + tail.length > 7) return undefined
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail]
}

/** Parses `10.0.0.0/8`, `10.1.2.3`, `2001:db8::/32`, `::1`; undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/')
  const addr = slash < 0 ? text : text.slice(0, slash)
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1)
  const v4 = parseV4(addr)
  const version: 4 | 6 = v4 !== undefined ? 4 : 6
  const groups = v4 ?? parseV6(addr)
  if (groups === undefined) return undefined
  const max = version === 4 ? 32 : 128
  if (prefixText !== undefined && !/^\d{1,3}$/u.test(prefixText)) return undefined
  const prefix = prefixText === undefined ? max : Number(prefixText)
  if (prefix > max) return undefined
  return { version, groups, prefix }
}

/** Is the address inside the block? Addresses of the other IP version never are. */
export function cidrContains(block: Cidr, address: Cidr): boolean {
  if (block.version !== address.version) return false
  let bits = block.prefix
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff
    if (((block.groups[i] ?? 0) & mask) !== ((address.groups[i] ?? 0) & mask)) return false
  }
  return true
}

/**
 * A request address: like `parseCidr`, but an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, what a
 * dual-stack Node socket reports for an IPv4 client) is read as the IPv4 address it carries.
 */
export function parseRequestAddress(text: string): Cidr | undefined {
  const a = parseCidr(text)
  if (a === undefined || a.version === 4 || a.prefix !== 128) return a
  const g = a.groups
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff)
    return { version: 4, groups: [g[6] ?? 0, g[7] ?? 0], prefix: 32 }
  return a
}
