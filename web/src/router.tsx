import {
  useEffect,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react'

/** A tiny history router: the path is the state; links push, back/forward pop. */
type Listener = () => void
const listeners = new Set<Listener>()

function notify(): void {
  listeners.forEach((l) => l())
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify)

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentLocation()) return
  if (options.replace === true) window.history.replaceState(null, '', to)
  else window.history.pushState(null, '', to)
  window.scrollTo(0, 0)
  notify()
}

function currentLocation(): string {
  return window.location.pathname + window.location.search
}

export interface Location {
  readonly pathname: string
  readonly search: URLSearchParams
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(currentLocation)
  useEffect(() => {
    const listener = (): void => setLoc(currentLocation())
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }, [])
  const [pathname, search = ''] = loc.split('?')
  return { pathname: pathname ?? '/', search: new URLSearchParams(search) }
}

/** Replaces the query string (for filters and paging) without a new history entry. */
export function setQuery(params: Record<string, string | undefined>): void {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v)
  const s = q.toString()
  navigate(window.location.pathname + (s === '' ? '' : `?${s}`), { replace: true })
}

/** Matches `/orgs/:orgId/projects` against a path; returns the parameters or null. */
export function match(pattern: string, pathname: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean)
  const s = pathname.split('/').filter(Boolean)
  if (p.length !== s.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < p.length; i++) {
    const part = p[i] ?? ''
    const seg = s[i] ?? ''
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg)
    else if (part !== seg) return null
  }
  return params
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; children: ReactNode }

export function Link({ to, children, onClick, ...rest }: LinkProps): ReactNode {
  const handle = (e: MouseEvent<HTMLAnchorElement>): void => {
    onClick?.(e)
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
      return
    e.preventDefault()
    navigate(to)
  }
  return (
    <a href={to} onClick={handle} {...rest}>
      {children}
    </a>
  )
}
