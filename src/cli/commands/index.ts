import type { Command } from 'commander'
import { register as agent } from './agent.js'
import { register as backup } from './backup.js'
import { register as deploy } from './deploy.js'
import { register as emulator } from './emulator.js'
import { register as keys } from './keys.js'
import { register as issuer } from './issuer.js'
import { register as up } from './up.js'
import { register as server } from './server.js'
import { register as lint } from './lint.js'
import { register as explain } from './explain.js'
import { register as preflight } from './preflight.js'
import { register as setup } from './setup.js'
import { register as thumbprint } from './thumbprint.js'
import { register as token } from './token.js'

/**
 * Every CLI command, registered in one list. A command file exports `register(program)` and
 * holds no domain logic: it parses arguments, calls the parts, and formats output.
 */
export const commands: ReadonlyArray<(program: Command) => void> = [
  emulator,
  keys,
  issuer,
  agent,
  deploy,
  server,
  up,
  backup,
  lint,
  explain,
  preflight,
  setup,
  thumbprint,
  token,
]
