import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { api, ApiError, enc } from '../api/client'
import type { Organization, Page } from '../api/types'
import { clearApiKey, setApiKey, takeSignOutReason } from '../auth'
import { navigate } from '../router'
import { TextField } from '../ui/fields'
import { BrandMark } from '../ui/brand'

export function SignInPage({ next }: { next?: string | undefined }): ReactNode {
  const [key, setKey] = useState('')
  const [error, setError] = useState<string | undefined>(takeSignOutReason)
  const [busy, setBusy] = useState(false)
  const headingRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = 'Sign in · keyless'
  }, [])

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    const trimmed = key.trim()
    if (trimmed === '') {
      setError('Enter an API key.')
      return
    }
    setBusy(true)
    setError(undefined)
    setApiKey(trimmed)
    try {
      const orgs = await api.get<Page<Organization>>('/organizations')
      setKey('')
      const safeNext =
        next !== undefined && next.startsWith('/') && !next.startsWith('//') ? next : undefined
      const only = orgs.items.length === 1 ? orgs.items[0] : undefined
      navigate(safeNext ?? (only === undefined ? '/' : `/orgs/${enc(only.id)}`), { replace: true })
    } catch (err) {
      clearApiKey()
      setError(
        err instanceof ApiError && err.status === 401
          ? 'This API key was not accepted: it is unknown or revoked. Check it and try again.'
          : err instanceof Error
            ? err.message
            : String(err),
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <p className="brand signin-brand">
          <BrandMark />
          keyless
        </p>
        <h1 ref={headingRef}>Sign in</h1>
        <p className="muted">
          Short-lived AWS credentials for your deployments, through OpenID Connect. Sign in with an
          API key.
        </p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <TextField
            label="API key"
            name="apiKey"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            value={key}
            onChange={(e) => setKey(e.target.value)}
            error={error}
            hint={
              <>
                On first start the control plane writes the admin key to{' '}
                <code>&lt;data-dir&gt;/admin.key</code>. The key stays in this tab only.
              </>
            }
          />
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  )
}
