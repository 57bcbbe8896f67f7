/**
 * `node azure-whoami.js`: a deployment step that signs in to Azure with @azure/identity's
 * WorkloadIdentityCredential from the environment keyless set (AZURE_CLIENT_ID, AZURE_TENANT_ID,
 * AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST) and shows who it is. Shipped for the demo
 * (`keyless up --demo`), which needs no Azure CLI. Exits 1 when Entra refuses.
 */
import { WorkloadIdentityCredential } from '@azure/identity'
import { decodeJwt } from 'jose'

const text = (v: unknown): string => (typeof v === 'string' ? v : '?')

async function main(): Promise<number> {
  // The authority is the Entra emulator, not login.microsoftonline.com: no instance discovery.
  const credential = new WorkloadIdentityCredential({ disableInstanceDiscovery: true })
  try {
    const { token, expiresOnTimestamp } = await credential.getToken(
      'https://management.azure.com/.default',
    )
    const claims = decodeJwt(token)
    process.stdout.write(`azure app id:    ${text(claims['appid'])}\n`)
    process.stdout.write(`azure tenant:    ${text(claims['tid'])}\n`)
    process.stdout.write(`azure token for: ${text(claims.aud)}\n`)
    process.stdout.write(`expires:         ${new Date(expiresOnTimestamp).toISOString()}\n`)
    return 0
  } catch (error) {
    const e = error as { name?: string; message?: string }
    process.stderr.write(`Azure sign-in failed: ${e.name ?? 'Error'}: ${e.message ?? ''}\n`)
    return 1
  }
}

process.exitCode = await main()
