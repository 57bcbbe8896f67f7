import { clearApiKey, getApiKey } from '../auth'

/** A field-level problem as the API reports it in `error.details.fields`. */
export interface FieldProblem {
  readonly path: string
  readonly message: string
}

/** An API error: `{ error: { code, message, details: { fields } } }`, or a network failure. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: readonly FieldProblem[]

  constructor(status: number, code: string, message: string, fields: readonly FieldProblem[] = []) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
  }

  /** The message for one form field (paths like `roleArn`, `body.roleArn`, `/roleArn`). */
  fieldError(name: string): string | undefined {
    const found = this.fields.find((f) => normalizePath(f.path) === name)
    return found?.message
  }

  /** Problems that no form field claims, to show above the form. */
  otherFields(names: readonly string[]): FieldProblem[] {
    return this.fields.filter((f) => !names.includes(normalizePath(f.path)))
  }
}

export function normalizePath(path: string): string {
  return path
    .replace(/^\/+/u, '')
    .replace(/^body[./]/u, '')
    .replace(/\//gu, '.')
}

export const API_BASE = '/api/v1'

function authHeaders(): Record<string, string> {
  const key = getApiKey()
  return key === null ? {} : { authorization: `Bearer ${key}` }
}

async function readError(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`
  let message = `${response.status} ${response.statusText}`.trim()
  let fields: FieldProblem[] = []
  try {
    const body: unknown = await response.json()
    const error = (body as { error?: unknown }).error
    if (typeof error === 'object' && error !== null) {
      const e = error as { code?: unknown; message?: unknown; details?: unknown }
      if (typeof e.code === 'string') code = e.code
      if (typeof e.message === 'string') message = e.message
      const details = e.details as { fields?: unknown } | undefined
      if (details !== undefined && details !== null && Array.isArray(details.fields)) {
        fields = details.fields.filter(
          (f): f is FieldProblem =>
            typeof f === 'object' &&
            f !== null &&
            typeof (f as FieldProblem).path === 'string' &&
            typeof (f as FieldProblem).message === 'string',
        )
      }
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, code, message, fields)
}

/** One REST call. 401 signs out (the key is wrong, revoked or gone). */
export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() }
  const init: RequestInit = { method, headers, credentials: 'omit', cache: 'no-store' }
  if (body !== undefined) {
    headers['content-type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  if (signal !== undefined) init.signal = signal
  let response: Response
  try {
    response = await fetch(`${API_BASE}${path}`, init)
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError(
      0,
      'network_error',
      'The control plane could not be reached. Check that `keyless server` is running, then retry.',
    )
  }
  if (response.status === 401) {
    const error = await readError(response)
    if (getApiKey() !== null)
      clearApiKey(
        'The control plane no longer accepts your API key (revoked or unknown). Sign in again.',
      )
    throw error
  }
  if (!response.ok) throw await readError(response)
  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text === '' ? undefined : JSON.parse(text)) as T
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
}

/** Query string from defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  }
  const s = q.toString()
  return s === '' ? '' : `?${s}`
}

export function enc(id: string): string {
  return encodeURIComponent(id)
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return error.message
  return String(error)
}
