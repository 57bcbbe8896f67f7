/** The Entra ID emulator (docs/emulator.md, "Azure"). */
export {
  buildAzureEmulator,
  DEFAULT_AZURE_TENANT_ID,
  type AzureEmulator,
  type AzureEmulatorConfig,
  type AzureEmulatorDeps,
  type AzureHandles,
} from './app.js'
