import type { AgentDeployment } from '../shared/contracts/agent-api.js'
import type { AwsCredentials } from './types.js'

/**
 * The environment of a deployment's steps. It starts from a small allowlist of the agent's own
 * environment (so the agent's token, its AWS keys or profile never reach user code), adds the
 * deployment's variables, then keyless's own variables, which win over variables of the same name.
 */

/** Names taken from the agent's environment; everything else is dropped. */
const INHERITED = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TERM',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'AWS_CA_BUNDLE',
  'TF_PLUGIN_CACHE_DIR',
  'TF_CLI_CONFIG_FILE',
  'CHECKPOINT_DISABLE',
] as const

const INHERITED_PREFIXES = ['LC_'] as const

/** Fixed keys from AssumeRoleWithWebIdentity. */
export interface StaticCredentialEnv {
  readonly mode: 'static'
  readonly credentials: AwsCredentials
}

/** Refresh mode: a loopback endpoint the AWS SDKs poll (container-credentials protocol). */
export interface EndpointCredentialEnv {
  readonly mode: 'endpoint'
  readonly url: string
  readonly authorizationToken: string
  readonly assumedRoleArn: string
}

export interface StepEnvInput {
  readonly deployment: AgentDeployment
  readonly baseEnv: Readonly<Record<string, string | undefined>>
  readonly workDir: string
  /** The template's directory, where steps run. */
  readonly templateDir: string
  /** Absent when the deployment has no credential. */
  readonly aws?: StaticCredentialEnv | EndpointCredentialEnv
  readonly oidcToken?: string
  readonly oidcTokenFile?: string
  /** The state backend's `TF_HTTP_*` variables (state-backend.ts), when keyless keeps state. */
  readonly state?: Readonly<Record<string, string>>
  /** The Azure and GCP sessions' variables (src/runner/clouds/). */
  readonly clouds?: Readonly<Record<string, string>>
}

export interface StepEnv {
  readonly env: Record<string, string>
  /** Variables that were shadowed by keyless's own (a warning for the log). */
  readonly shadowed: readonly string[]
}

/** AWS variables never inherited nor settable by variables: they would fight the issued credentials. */
const AWS_AMBIENT = new Set([
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
])

export function buildStepEnv(input: StepEnvInput): StepEnv {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(input.baseEnv)) {
    if (value === undefined) continue
    if (
      (INHERITED as readonly string[]).includes(name) ||
      INHERITED_PREFIXES.some((p) => name.startsWith(p))
    ) {
      env[name] = value
    }
  }
  env['PATH'] ??= '/usr/local/bin:/usr/bin:/bin'

  for (const variable of input.deployment.variables) env[variable.name] = variable.value

  const own = ownVariables(input)
  const shadowed: string[] = []
  for (const [name, value] of Object.entries(own)) {
    if (env[name] !== undefined && input.deployment.variables.some((v) => v.name === name)) {
      shadowed.push(name)
    }
    env[name] = value
  }
  if (input.aws !== undefined) {
    for (const name of AWS_AMBIENT) {
      if (env[name] !== undefined && own[name] === undefined) {
        if (input.deployment.variables.some((v) => v.name === name)) shadowed.push(name)
        delete env[name]
      }
    }
  }
  return { env, shadowed }
}

function ownVariables(input: StepEnvInput): Record<string, string> {
  const d = input.deployment
  const own: Record<string, string> = {
    CI: 'true',
    KEYLESS: 'true',
    KEYLESS_DEPLOYMENT_ID: d.id,
    KEYLESS_DEPLOYMENT_TYPE: d.type,
    KEYLESS_ORGANIZATION_ID: d.organizationId,
    KEYLESS_ORGANIZATION_NAME: d.organizationName,
    KEYLESS_PROJECT_ID: d.projectId,
    KEYLESS_PROJECT_NAME: d.projectName,
    KEYLESS_ENVIRONMENT_ID: d.environmentId,
    KEYLESS_ENVIRONMENT_NAME: d.environmentName,
    KEYLESS_TEMPLATE_ID: d.template.id,
    KEYLESS_TEMPLATE_NAME: d.template.name,
    KEYLESS_TEMPLATE_TYPE: d.template.type,
    KEYLESS_DEPLOYER_EMAIL: d.deployerEmail,
    KEYLESS_WORK_DIR: input.workDir,
    KEYLESS_TEMPLATE_DIR: input.templateDir,
  }
  if (d.template.type !== 'custom') {
    own['TF_IN_AUTOMATION'] = '1'
    own['TF_INPUT'] = '0'
  }
  if (input.oidcToken !== undefined) {
    own['KEYLESS_OIDC_TOKEN'] = input.oidcToken
    own['ENV0_OIDC_TOKEN'] = input.oidcToken
  }
  if (input.oidcTokenFile !== undefined) own['KEYLESS_OIDC_TOKEN_FILE'] = input.oidcTokenFile
  for (const [name, value] of Object.entries(input.state ?? {})) own[name] = value
  for (const [name, value] of Object.entries(input.clouds ?? {})) own[name] = value
  const credential = d.credential
  if (credential !== null && input.aws !== undefined) {
    own['AWS_REGION'] = credential.region
    own['AWS_DEFAULT_REGION'] = credential.region
    own['KEYLESS_ROLE_ARN'] = credential.roleArn
    own['KEYLESS_ROLE_SOURCE'] = credential.roleSource
    if (credential.stsEndpoint !== null) {
      own['AWS_ENDPOINT_URL_STS'] = credential.stsEndpoint
      // Some CLIs ignore the service-specific variable (the Debian AWS CLI 2.9); an emulator or
      // custom endpoint serves the other services too, so point them all there, unless the
      // deployment sets AWS_ENDPOINT_URL itself. A regional AWS STS endpoint stays STS-only.
      if (
        !isAwsEndpoint(credential.stsEndpoint) &&
        !d.variables.some((v) => v.name === 'AWS_ENDPOINT_URL')
      )
        own['AWS_ENDPOINT_URL'] = credential.stsEndpoint
    }
    if (input.aws.mode === 'static') {
      own['AWS_ACCESS_KEY_ID'] = input.aws.credentials.accessKeyId
      own['AWS_SECRET_ACCESS_KEY'] = input.aws.credentials.secretAccessKey
      own['AWS_SESSION_TOKEN'] = input.aws.credentials.sessionToken
      own['AWS_CREDENTIAL_EXPIRATION'] = input.aws.credentials.expiration.toISOString()
      own['KEYLESS_ASSUMED_ROLE_ARN'] = input.aws.credentials.assumedRoleArn
    } else {
      own['AWS_CONTAINER_CREDENTIALS_FULL_URI'] = input.aws.url
      own['AWS_CONTAINER_AUTHORIZATION_TOKEN'] = input.aws.authorizationToken
      own['KEYLESS_ASSUMED_ROLE_ARN'] = input.aws.assumedRoleArn
    }
  }
  return own
}

/** True for AWS's own endpoints (`sts.eu-west-1.amazonaws.com`, `….amazonaws.com.cn`, `….api.aws`). */
export function isAwsEndpoint(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return false
  }
  return ['.amazonaws.com', '.amazonaws.com.cn', '.api.aws'].some((suffix) => host.endsWith(suffix))
}

/** Names whose values are always secret, whatever the variable says. */
export const SECRET_ENV_NAMES: ReadonlySet<string> = new Set([
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'KEYLESS_OIDC_TOKEN',
  'ENV0_OIDC_TOKEN',
  'TF_HTTP_PASSWORD',
])
