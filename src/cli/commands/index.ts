import type { Command } from 'commander'
import { register as agent } from './agent.js'
import { register as deploy } from './deploy.js'
import { register as emulator } from './emulator.js'
import { register as keys } from './keys.js'
import { register as up } from './up.js'
import { register as server } from './server.js'

/**
 * Every CLI command, registered in one list. A command file exports `register(program)` and
 * holds no domain logic: it parses arguments, calls the parts, and formats output.
 */
export const commands: ReadonlyArray<(program: Command) => void> = [
  emulator,
  keys,
  agent,
  deploy,
  server,
  up,
]
