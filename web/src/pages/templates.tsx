import { useState, type ReactNode } from 'react'
import { templates } from '../api/templates'
import type { Template, TemplateStep, TemplateType } from '../api/types'
import { Empty, ErrorState, Loading } from '../ui/feedback'
import { SelectField, TextField } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { PageHeader, Section } from '../ui/layout'
import { useAsync } from '../ui/use-async'
import { useMutation } from '../ui/use-mutation'

export function TemplatesPage({ orgId }: { orgId: string }): ReactNode {
  const [state, reload] = useAsync((signal) => templates.list(orgId, signal), [orgId])
  const [editing, setEditing] = useState<Template | null>(null)
  return (
    <div className="page">
      <PageHeader
        title="Templates"
        description="What a deployment runs: a list of commands (custom) or a Terraform/OpenTofu configuration."
      />
      <Section title="Templates">
        {state.status === 'loading' && state.data === undefined ? (
          <Loading label="Loading templates…" />
        ) : state.status === 'error' ? (
          <ErrorState error={state.error} onRetry={reload} />
        ) : state.data === undefined || state.data.length === 0 ? (
          <Empty title="No templates yet">Create one below; environments deploy templates.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Steps</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.data.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td>{t.type}</td>
                    <td>
                      {t.type === 'custom' ? (
                        t.steps.length
                      ) : (
                        <span className="muted">{t.path ?? '—'}</span>
                      )}
                    </td>
                    <td className="actions-cell">
                      <button
                        type="button"
                        className="button secondary small"
                        onClick={() => setEditing(t)}
                        aria-label={`Edit ${t.name}`}
                      >
                        Edit
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <TemplateForm
        key={editing?.id ?? 'new'}
        orgId={orgId}
        template={editing ?? undefined}
        onDone={() => {
          setEditing(null)
          reload()
        }}
      />
    </div>
  )
}

function TemplateForm({
  orgId,
  template,
  onDone,
}: {
  orgId: string
  template?: Template | undefined
  onDone: () => void
}): ReactNode {
  const [name, setName] = useState(template?.name ?? '')
  const [type, setType] = useState<TemplateType>(template?.type ?? 'custom')
  const [steps, setSteps] = useState<TemplateStep[]>(
    template !== undefined && template.steps.length > 0
      ? template.steps
      : [{ name: 'deploy', run: '' }],
  )
  const [path, setPath] = useState(template?.path ?? '')
  const m = useMutation()
  const setStep = (i: number, patch: Partial<TemplateStep>): void =>
    setSteps((s) => s.map((step, j) => (j === i ? { ...step, ...patch } : step)))
  const submit = (): void =>
    void m.run(async () => {
      const body = {
        name: name.trim(),
        type,
        ...(type === 'custom' ? { steps } : path.trim() !== '' ? { path: path.trim() } : {}),
      }
      if (template !== undefined) {
        await templates.update(template.id, body)
        onDone()
        return
      }
      await templates.create(orgId, body)
      setName('')
      setSteps([{ name: 'deploy', run: '' }])
      setPath('')
      onDone()
      return 'Template created.'
    })
  const known = [
    'name',
    'type',
    'path',
    ...steps.flatMap((_, i) => [`steps.${i}.name`, `steps.${i}.run`]),
    'steps',
  ]
  return (
    <Section
      title={template === undefined ? 'Create a template' : `Edit template “${template.name}”`}
    >
      <MutationForm
        mutation={m}
        onSubmit={submit}
        fields={known}
        submitLabel={template === undefined ? 'Create template' : 'Save changes'}
        secondary={
          template === undefined ? null : (
            <button type="button" className="button secondary" onClick={onDone}>
              Cancel
            </button>
          )
        }
      >
        <div className="grid-2">
          <TextField
            label="Name"
            name="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={m.fieldError('name')}
          />
          <SelectField
            label="Type"
            name="type"
            value={type}
            onChange={(e) => setType(e.target.value as TemplateType)}
            error={m.fieldError('type')}
          >
            <option value="custom">custom (commands)</option>
            <option value="terraform">terraform</option>
            <option value="opentofu">opentofu</option>
          </SelectField>
        </div>
        {type === 'custom' ? (
          <fieldset className="steps">
            <legend>Steps</legend>
            <p className="hint">
              Shell commands run in order. The AWS credentials are in the environment.
            </p>
            {m.fieldError('steps') === undefined ? null : (
              <p className="field-error">{m.fieldError('steps')}</p>
            )}
            {steps.map((step, i) => (
              <div className="step-row" key={i}>
                <TextField
                  label={`Step ${i + 1} name`}
                  required
                  value={step.name}
                  onChange={(e) => setStep(i, { name: e.target.value })}
                  error={m.fieldError(`steps.${i}.name`)}
                />
                <TextField
                  label={`Step ${i + 1} command`}
                  required
                  spellCheck={false}
                  className="mono"
                  placeholder="aws sts get-caller-identity"
                  value={step.run}
                  onChange={(e) => setStep(i, { run: e.target.value })}
                  error={m.fieldError(`steps.${i}.run`)}
                />
                <button
                  type="button"
                  className="button secondary small"
                  disabled={steps.length === 1}
                  aria-label={`Remove step ${i + 1}`}
                  onClick={() => setSteps((s) => s.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </div>
            ))}
            <button
              type="button"
              className="button secondary small"
              onClick={() => setSteps((s) => [...s, { name: `step-${s.length + 1}`, run: '' }])}
            >
              Add step
            </button>
          </fieldset>
        ) : (
          <TextField
            label="Configuration path"
            name="path"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            error={m.fieldError('path')}
            hint="The directory holding the Terraform/OpenTofu configuration, on the agent."
          />
        )}
      </MutationForm>
    </Section>
  )
}
