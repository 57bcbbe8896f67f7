import type { Command } from 'commander'

interface CommandModule {
  register(program: Command): void
}

/**
 * The module of each top-level command, loaded when that command runs: `keyless server` never
 * loads the emulator, the runner or the AWS SDK clients, and their memory stays free. Every
 * command of src/cli/commands/index.ts is here (test/cli/lazy-commands.test.ts checks it).
 */
export const commandModules: Readonly<Record<string, () => Promise<CommandModule>>> = {
  agent: () => import('./agent.js'),
  backup: () => import('./backup.js'),
  restore: () => import('./backup.js'),
  deploy: () => import('./deploy.js'),
  emulator: () => import('./emulator.js'),
  explain: () => import('./explain.js'),
  issuer: () => import('./issuer.js'),
  keys: () => import('./keys.js'),
  lint: () => import('./lint.js'),
  preflight: () => import('./preflight.js'),
  server: () => import('./server.js'),
  setup: () => import('./setup.js'),
  thumbprint: () => import('./thumbprint.js'),
  token: () => import('./token.js'),
  up: () => import('./up.js'),
}
