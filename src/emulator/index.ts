/** The AWS STS + IAM emulator (docs/architecture.md §6). */
export { buildEmulator, type Emulator, type EmulatorDeps, type EmulatorHandles } from './app.js'
export type { EmulatorConfig, EmulatorCompat, EmulatorSettings } from './config.js'
export type { DecisionEntry } from './decisions.js'
export { awsErrorTable, type AwsErrorCode } from './errors.js'
export { allActions } from './registry.js'
export { readSeed, seedSchema, type Seed } from './seed.js'
