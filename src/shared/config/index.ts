export { loadConfig, processEnv, type ConfigSources } from './load.js'
export { parsers, type OptionSpec, type OptionTable, type ConfigOf } from './option.js'
export {
  commonOptions,
  serverOptions,
  emulatorOptions,
  agentOptions,
  clientOptions,
  isLoopbackHost,
} from './options.js'
