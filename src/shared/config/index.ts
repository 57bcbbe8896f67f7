export { loadConfig, processEnv, type ConfigSources } from './load.js'
export { parsers, type OptionSpec, type OptionTable, type ConfigOf } from './option.js'
export { omit, prefixed, unprefixed, type Prefixed } from './compose.js'
export {
  commonOptions,
  serverOptions,
  emulatorOptions,
  agentOptions,
  clientOptions,
  upOptions,
  upParts,
  isLoopbackHost,
} from './options.js'
