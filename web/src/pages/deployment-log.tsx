import { useEffect, useRef, useState, type ReactNode } from 'react'
import { deployments } from '../api/deployments'
import { streamEvents } from '../api/sse'
import type { LogEntry } from '../api/types'
import { Section } from '../ui/layout'

type Line = Pick<LogEntry, 'stream' | 'text'>
const STREAMS: readonly LogEntry['stream'][] = ['stdout', 'stderr', 'system']
type Phase = 'connecting' | 'live' | 'ended' | 'error'

function parseMessage(data: string): string {
  try {
    const v: unknown = JSON.parse(data)
    return typeof v === 'object' && v !== null && 'message' in v && typeof v.message === 'string'
      ? v.message
      : data
  } catch {
    return data
  }
}

/** A `log` event's data: one LogEntry (docs/architecture.md §9); anything else is skipped. */
export function parseLogEvent(data: string): Line[] {
  try {
    const v: unknown = JSON.parse(data)
    if (typeof v !== 'object' || v === null || !('text' in v) || typeof v.text !== 'string')
      return []
    const stream = STREAMS.find((s) => 'stream' in v && v.stream === s) ?? 'stdout'
    return [{ stream, text: v.text }]
  } catch {
    return [{ stream: 'stdout', text: data }]
  }
}

function statusText(phase: Phase, finished: boolean, error: string | null): string {
  if (phase === 'connecting') return 'Connecting to the log…'
  if (phase === 'live') return finished ? 'Log' : 'Live: new lines appear as the agent sends them.'
  if (phase === 'ended') return 'Log complete.'
  return `Log stream interrupted: ${error ?? ''}`
}

/** Follows the deployment's log stream; `attempt` reconnects. */
function useLogStream(deploymentId: string, attempt: number, onEnd: () => void) {
  const [lines, setLines] = useState<Line[]>([])
  const [phase, setPhase] = useState<Phase>('connecting')
  const [error, setError] = useState<string | null>(null)
  const onEndRef = useRef(onEnd)
  onEndRef.current = onEnd
  useEffect(() => {
    const controller = new AbortController()
    setLines([])
    setPhase('connecting')
    setError(null)
    let ended = false
    streamEvents(
      deployments.logsPath(deploymentId),
      (event) => {
        if (event.event === 'error') {
          setError(parseMessage(event.data))
          return
        }
        if (event.event === 'end') {
          ended = true
          setPhase('ended')
          onEndRef.current()
          return
        }
        setPhase('live')
        if (event.event === 'log') {
          const entries = parseLogEvent(event.data)
          if (entries.length > 0) setLines((l) => [...l, ...entries])
        } else if (event.event === 'status') {
          onEndRef.current()
        }
      },
      controller.signal,
      () => setPhase('live'),
    ).then(
      () => {
        if (controller.signal.aborted) return
        setPhase(ended ? 'ended' : 'error')
        if (!ended) setError('The log stream closed before the deployment finished.')
      },
      (err: unknown) => {
        if (controller.signal.aborted) return
        setPhase('error')
        setError(err instanceof Error ? err.message : String(err))
      },
    )
    return () => controller.abort()
  }, [deploymentId, attempt])
  return { lines, phase, error }
}

export function LiveLog({
  deploymentId,
  finished,
  onEnd,
}: {
  deploymentId: string
  finished: boolean
  onEnd: () => void
}): ReactNode {
  const [follow, setFollow] = useState(true)
  const [attempt, setAttempt] = useState(0)
  const { lines, phase, error } = useLogStream(deploymentId, attempt, onEnd)
  const preRef = useRef<HTMLPreElement>(null)
  useEffect(() => {
    const pre = preRef.current
    if (follow && pre !== null) pre.scrollTop = pre.scrollHeight
  }, [lines, follow])
  return (
    <Section
      title="Log"
      actions={
        <label className="inline-check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />{' '}
          Follow
        </label>
      }
    >
      <p className="muted log-status" role="status" data-testid="log-status" data-phase={phase}>
        {statusText(phase, finished, error)}{' '}
        {phase === 'error' ? (
          <button
            type="button"
            className="button secondary small"
            onClick={() => setAttempt((a) => a + 1)}
          >
            Reconnect
          </button>
        ) : null}
      </p>
      <pre
        className="log"
        ref={preRef}
        tabIndex={0}
        aria-label="Deployment log"
        data-testid="deployment-log"
      >
        {lines.length === 0 ? (
          <span className="muted">{phase === 'ended' ? 'No output.' : 'Waiting for output…'}</span>
        ) : (
          lines.map((l, i) => (
            <span key={i} className={`log-line log-${l.stream}`}>
              {l.text}
              {'\n'}
            </span>
          ))
        )}
      </pre>
    </Section>
  )
}
