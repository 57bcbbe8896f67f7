import { useState, type ReactNode } from 'react'
import { credentials, type AwsCredentialInput } from '../api/credentials'
import { TextField, Toggle } from '../ui/fields'
import { MutationForm } from '../ui/form'
import { formatDuration } from '../ui/formatting'
import { useMutation } from '../ui/use-mutation'

const MIN_DURATION = 900
const MAX_DURATION = 43200
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/u

/** The fields of an AWS OIDC credential: the role deployments assume and how. */
export function AwsCredentialForm({
  orgId,
  onCreated,
}: {
  orgId: string
  onCreated: () => void
}): ReactNode {
  const [name, setName] = useState('')
  const [roleArn, setRoleArn] = useState('')
  const [duration, setDuration] = useState('3600')
  const [planRoleArn, setPlanRoleArn] = useState('')
  const [region, setRegion] = useState('us-east-1')
  const [stsEndpoint, setStsEndpoint] = useState('')
  const [sessionTags, setSessionTags] = useState(true)
  const [refresh, setRefresh] = useState(true)
  const m = useMutation()
  const seconds = Number(duration)
  const durationWarning =
    Number.isFinite(seconds) && seconds > 3600 ? (
      <>
        {formatDuration(seconds)} is above AWS’s default MaxSessionDuration of 1 h: raise the role’s
        maximum session duration to at least {seconds} s, or AWS refuses with “not authorized to
        perform sts:AssumeRoleWithWebIdentity”.
      </>
    ) : (
      <>The duration must not exceed the role’s MaxSessionDuration (1 h unless you raised it).</>
    )
  const roleHint =
    roleArn !== '' && !ROLE_ARN.test(roleArn.trim())
      ? 'This does not look like an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>).'
      : undefined
  const submit = (): void =>
    void m.run(async () => {
      const body: AwsCredentialInput = {
        type: 'aws-oidc',
        name: name.trim(),
        roleArn: roleArn.trim(),
        ...(duration.trim() === '' ? {} : { durationSeconds: Number(duration) }),
        sessionTags,
        refresh,
        ...(planRoleArn.trim() === '' ? {} : { planRoleArn: planRoleArn.trim() }),
        ...(region.trim() === '' ? {} : { region: region.trim() }),
        ...(stsEndpoint.trim() === '' ? {} : { stsEndpoint: stsEndpoint.trim() }),
      }
      const c = await credentials.create(orgId, body)
      setName('')
      setRoleArn('')
      setPlanRoleArn('')
      onCreated()
      return `Credential created (${c.id}). Assign it to a project above.`
    })
  const fields = [
    'name',
    'type',
    'roleArn',
    'durationSeconds',
    'planRoleArn',
    'region',
    'stsEndpoint',
    'sessionTags',
    'refresh',
  ]
  return (
    <MutationForm
      mutation={m}
      onSubmit={submit}
      label="Create an AWS OIDC credential"
      fields={fields}
      submitLabel="Create credential"
    >
      <TextField
        label="Name"
        name="name"
        required
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={m.fieldError('name')}
        placeholder="production AWS"
      />
      <TextField
        label="Role ARN"
        name="roleArn"
        required
        spellCheck={false}
        placeholder="arn:aws:iam::123456789012:role/keyless-deployer"
        value={roleArn}
        onChange={(e) => setRoleArn(e.target.value)}
        error={m.fieldError('roleArn')}
        warning={roleHint}
        hint="The role deployments assume with AssumeRoleWithWebIdentity. Its trust policy must accept this organization's tokens (see OIDC & AWS setup)."
      />
      <div className="grid-2">
        <TextField
          label="Duration (seconds)"
          name="durationSeconds"
          type="number"
          inputMode="numeric"
          min={MIN_DURATION}
          max={MAX_DURATION}
          step={1}
          required
          value={duration}
          onChange={(e) => setDuration(e.target.value)}
          error={m.fieldError('durationSeconds')}
          hint={`From ${MIN_DURATION} (15 min) to ${MAX_DURATION} (12 h); 3600 is the default.`}
          warning={durationWarning}
        />
        <TextField
          label="Region"
          name="region"
          value={region}
          onChange={(e) => setRegion(e.target.value)}
          error={m.fieldError('region')}
        />
      </div>
      <TextField
        label="Plan role ARN"
        name="planRoleArn"
        spellCheck={false}
        placeholder="arn:aws:iam::123456789012:role/keyless-plan-readonly"
        value={planRoleArn}
        onChange={(e) => setPlanRoleArn(e.target.value)}
        error={m.fieldError('planRoleArn')}
        hint="A read-only role used for plan deployments, so a plan can never change anything."
      />
      <TextField
        label="STS endpoint"
        name="stsEndpoint"
        spellCheck={false}
        placeholder="http://127.0.0.1:4566"
        value={stsEndpoint}
        onChange={(e) => setStsEndpoint(e.target.value)}
        error={m.fieldError('stsEndpoint')}
        hint="Leave empty for AWS. Set it for the keyless emulator or a regional endpoint."
      />
      <Toggle
        label="Session tags"
        checked={sessionTags}
        onChange={setSessionTags}
        hint="Adds the https://aws.amazon.com/tags claim (organizationId, projectId, environmentId…). The role's trust policy must then allow sts:TagSession."
      />
      <Toggle
        label="Refresh credentials during long runs"
        checked={refresh}
        onChange={setRefresh}
        hint="Serves credentials from the agent, re-minted before they expire, instead of fixed keys."
      />
    </MutationForm>
  )
}
