/**
 * The API key lives in session storage only (gone when the tab closes), is sent as a Bearer
 * header, and never appears in a URL, a log line or the DOM.
 */
const STORAGE_KEY = 'keyless.apiKey'

type Listener = () => void
const listeners = new Set<Listener>()

export function getApiKey(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

export function setApiKey(key: string): void {
  signOutReason = undefined
  window.sessionStorage.setItem(STORAGE_KEY, key)
  listeners.forEach((l) => l())
}

let signOutReason: string | undefined

export function clearApiKey(reason?: string): void {
  signOutReason = reason
  window.sessionStorage.removeItem(STORAGE_KEY)
  listeners.forEach((l) => l())
}

/** Why the console signed out by itself (e.g. the key was revoked); cleared by the next sign-in. */
export function takeSignOutReason(): string | undefined {
  return signOutReason
}

export function onAuthChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
