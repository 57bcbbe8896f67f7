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
  window.sessionStorage.setItem(STORAGE_KEY, key)
  listeners.forEach((l) => l())
}

export function clearApiKey(): void {
  window.sessionStorage.removeItem(STORAGE_KEY)
  listeners.forEach((l) => l())
}

export function onAuthChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
