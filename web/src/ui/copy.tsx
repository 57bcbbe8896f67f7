import { useEffect, useState, type ReactNode } from 'react'

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }): ReactNode {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (copied === 'idle') return undefined
    const t = window.setTimeout(() => setCopied('idle'), 2000)
    return () => window.clearTimeout(t)
  }, [copied])
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied('copied')
    } catch {
      setCopied(fallbackCopy(text) ? 'copied' : 'failed')
    }
  }
  return (
    <button type="button" className="button secondary small" onClick={() => void copy()}>
      <span aria-live="polite">
        {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Select and copy' : label}
      </span>
    </button>
  )
}

function fallbackCopy(text: string): boolean {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  return ok
}

/** A value to copy: monospace, with a copy button. */
export function CopyValue({ value, label }: { value: string; label: string }): ReactNode {
  return (
    <div className="copy-value">
      <code>{value}</code>
      <CopyButton text={value} label={`Copy ${label}`} />
    </div>
  )
}

export function CodeBlock({ code, label }: { code: string; label: string }): ReactNode {
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span>{label}</span>
        <CopyButton text={code} label={`Copy ${label}`} />
      </div>
      <pre tabIndex={0} aria-label={label}>
        <code>{code}</code>
      </pre>
    </div>
  )
}
