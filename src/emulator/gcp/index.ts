/** The Google emulator: STS, IAM and IAM Credentials (docs/emulator.md, "Google"). */
export {
  buildGcpEmulator,
  GCP_BODY_LIMIT,
  type GcpEmulator,
  type GcpEmulatorConfig,
  type GcpEmulatorDeps,
  type GcpHandles,
} from './app.js'
