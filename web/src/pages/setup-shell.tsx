import type { ReactNode } from 'react'
import { CodeBlock } from '../ui/copy'
import { ErrorState, Loading } from '../ui/feedback'
import { PageHeader, Section } from '../ui/layout'
import { Tabs } from '../ui/tabs'
import type { AsyncState } from '../ui/use-async'

/**
 * The frame of a cloud's setup page (Azure, GCP): its header, the error with a retry, the
 * loading state, then the page's own content once the setup has loaded.
 */
export function SetupPageShell<T>({
  title,
  description,
  loadingLabel,
  state,
  reload,
  children,
}: {
  title: string
  description: string
  loadingLabel: string
  state: AsyncState<T>
  reload: () => void
  children: (data: T) => ReactNode
}): ReactNode {
  const header = <PageHeader title={title} description={description} />
  if (state.status === 'error' && state.data === undefined)
    return (
      <div className="page">
        {header}
        <ErrorState error={state.error} onRetry={reload} />
      </div>
    )
  if (state.data === undefined) return <Loading label={loadingLabel} />
  return (
    <div className="page">
      {header}
      {children(state.data)}
    </div>
  )
}

/** The code `keyless setup <cloud>` prints, one tab per format, as the page's setup generates it. */
export function GeneratedSetup<F extends string>({
  cloud,
  cloudName,
  applyVia,
  formats,
  format,
  onFormat,
  content,
  orgId,
  nothingYet,
}: {
  cloud: 'azure' | 'gcp'
  cloudName: string
  /** The API `--apply` creates them through (Graph, IAM). */
  applyVia: string
  formats: ReadonlyArray<readonly [F, string]>
  format: F
  onFormat: (f: F) => void
  content: string | null
  orgId: string
  /** Why there is nothing to generate (content null). */
  nothingYet: string
}): ReactNode {
  const label = formats.find(([f]) => f === format)?.[1] ?? format
  const panelId = `${cloud}-setup-panel`
  return (
    <Section title={`Ready-to-copy ${cloudName} setup`}>
      <p className="muted">
        Same output as{' '}
        <code>
          keyless setup {cloud} --organization {orgId}
        </code>
        ; add <code>--apply</code> to create them through {applyVia}.
      </p>
      <Tabs
        tabs={formats}
        value={format}
        onChange={onFormat}
        label="Setup format"
        panelId={panelId}
      />
      <div id={panelId} role="tabpanel" aria-labelledby={`${panelId}-tab-${format}`}>
        {content === null ? (
          <p className="muted">{nothingYet}</p>
        ) : (
          <CodeBlock code={content} label={label} />
        )}
      </div>
    </Section>
  )
}
