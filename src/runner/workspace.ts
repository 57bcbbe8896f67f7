import { cp, mkdir, stat } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import type { Clock } from '../shared/clock.js'
import type { AgentDeployment, LogLine } from '../shared/contracts/agent-api.js'
import { RunFailure } from './failure-error.js'
import type { SecretSet } from './mask.js'
import { runProcess } from './process.js'

/**
 * Prepares the directory a deployment's steps run in (`<work dir>/template`):
 * - a git repository (URL + ref) is cloned with the system `git`; the template's `path`, if
 *   any, is then a folder inside the clone;
 * - a local `path` is copied (steps never write into the original);
 * - neither: an empty directory.
 */
export interface WorkspaceInput {
  readonly deployment: AgentDeployment
  readonly workDir: string
  readonly env: Readonly<Record<string, string>>
  readonly secrets: SecretSet
  readonly log: (line: LogLine) => void
  readonly clock: Clock
  readonly signal?: AbortSignal
}

export async function prepareWorkspace(input: WorkspaceInput): Promise<string> {
  const { template } = input.deployment
  const root = join(input.workDir, 'template')
  await mkdir(input.workDir, { recursive: true })
  const system = (text: string): void =>
    input.log({ stream: 'system', text, time: input.clock.now().toISOString() })

  if (template.repository !== null) {
    const { url, ref } = template.repository
    hidePassword(url, input.secrets)
    system(`cloning ${input.secrets.mask(url)}${ref === null ? '' : ` at ${ref}`}`)
    await git(input, ['init', '-q', root])
    const fetched = await git(
      input,
      ['-C', root, 'fetch', '-q', '--depth', '1', url, ref ?? 'HEAD'],
      false,
    )
    if (!fetched) {
      // Servers that refuse shallow fetches of a commit id: fetch everything, then check out.
      await git(input, [
        '-C',
        root,
        'fetch',
        '-q',
        url,
        '+refs/heads/*:refs/remotes/origin/*',
        '+refs/tags/*:refs/tags/*',
      ])
      await git(input, ['-C', root, 'checkout', '-q', '--detach', ref ?? 'origin/HEAD'])
    } else {
      await git(input, ['-C', root, 'checkout', '-q', '--detach', 'FETCH_HEAD'])
    }
    const dir = template.path === null ? root : resolve(root, template.path)
    if (!dir.startsWith(root)) {
      throw new RunFailure({
        message: `the template path ${template.path ?? ''} leaves the repository`,
      })
    }
    await mustBeDirectory(dir, `the folder ${template.path ?? ''} of ${input.secrets.mask(url)}`)
    return dir
  }
  if (template.path !== null) {
    if (!isAbsolute(template.path)) {
      throw new RunFailure({
        message: `the template path ${template.path} is not absolute: a local template must name a directory on the agent's machine`,
      })
    }
    await mustBeDirectory(template.path, `the template directory ${template.path}`)
    await cp(template.path, root, { recursive: true })
    return root
  }
  await mkdir(root, { recursive: true })
  return root
}

async function mustBeDirectory(dir: string, what: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return
  } catch {
    // reported below
  }
  throw new RunFailure({
    message: `${what} does not exist on the agent's machine (or is not a directory)`,
  })
}

/** A password inside a clone URL (`https://user:token@host/…`) is masked like any secret. */
function hidePassword(url: string, secrets: SecretSet): void {
  try {
    const u = new URL(url)
    if (u.password !== '') {
      secrets.add(u.password)
      secrets.add(decodeURIComponent(u.password))
    }
  } catch {
    // scp-like URLs (git@host:repo) carry no password
  }
}

async function git(input: WorkspaceInput, args: string[], mustSucceed = true): Promise<boolean> {
  const outcome = await runProcess({
    command: 'git',
    args,
    cwd: input.workDir,
    env: { ...input.env, GIT_TERMINAL_PROMPT: '0' },
    secrets: input.secrets,
    log: mustSucceed ? input.log : () => undefined,
    clock: input.clock,
    graceMs: 2000,
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  })
  if (outcome.spawnError !== undefined) {
    throw new RunFailure({
      code: 'tool_missing',
      message: `git could not be started (${outcome.spawnError}): the agent needs git on its PATH for templates in a repository`,
    })
  }
  if (outcome.exitCode === 0) return true
  if (!mustSucceed) return false
  throw new RunFailure({
    message: `git ${args.filter((a) => !a.includes('://')).join(' ')} failed (exit ${outcome.exitCode ?? outcome.signal ?? '?'})`,
  })
}
