/**
 * `node gcp-whoami.js`: a deployment step that gets a Google access token with
 * google-auth-library from the environment keyless set (GOOGLE_APPLICATION_CREDENTIALS, an
 * external_account file; GOOGLE_CLOUD_PROJECT) and shows which service account it acts as.
 * Shipped for the demo (`keyless up --demo`), which needs no gcloud. Exits 1 when Google refuses.
 */
import { GoogleAuth } from 'google-auth-library'

async function main(): Promise<number> {
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] })
  try {
    const client = await auth.getClient()
    const { token } = await client.getAccessToken()
    const acting =
      'getServiceAccountEmail' in client && typeof client.getServiceAccountEmail === 'function'
        ? String(client.getServiceAccountEmail())
        : 'the federated principal'
    process.stdout.write(`gcp acting as:   ${acting}\n`)
    process.stdout.write(`gcp project:     ${(await auth.getProjectId()) ?? '?'}\n`)
    process.stdout.write(
      `access token:    ${token === null || token === undefined ? 'none' : 'yes'}\n`,
    )
    return token === null || token === undefined ? 1 : 0
  } catch (error) {
    const e = error as { name?: string; message?: string }
    process.stderr.write(`Google sign-in failed: ${e.name ?? 'Error'}: ${e.message ?? ''}\n`)
    return 1
  }
}

process.exitCode = await main()
