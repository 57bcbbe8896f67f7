/**
 * The Entra emulator's one tenant, in memory: app registrations (each with its service principal)
 * and user-assigned managed identities, each holding at most 20 federated credentials.
 */
import { randomUUID } from 'node:crypto'
import type { AzureClientFacts } from '../../federation/azure/exchange.js'
import type { Fic } from '../../federation/azure/fic.js'

export interface Application {
  readonly id: string
  readonly appId: string
  readonly displayName: string
  readonly servicePrincipalId: string
  readonly createdDateTime: string
  readonly fics: Map<string, Fic>
}

export interface ManagedIdentity {
  /** ARM resource id as created (case kept); looked up case-insensitively. */
  readonly resourceId: string
  readonly name: string
  readonly location: string
  readonly tags: Readonly<Record<string, string>>
  readonly clientId: string
  readonly principalId: string
  readonly fics: Map<string, Fic>
  /** A FIC write in progress (concurrent writes get 409). */
  writing: boolean
}

export class AzureDirectory {
  readonly tenantId: string
  readonly applications = new Map<string, Application>()
  readonly identities = new Map<string, ManagedIdentity>()

  constructor(tenantId: string) {
    this.tenantId = tenantId
  }

  createApplication(displayName: string, nowMs: number): Application {
    const app: Application = {
      id: randomUUID(),
      appId: randomUUID(),
      displayName,
      servicePrincipalId: randomUUID(),
      createdDateTime: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/u, 'Z'),
      fics: new Map(),
    }
    this.applications.set(app.id, app)
    return app
  }

  application(ref: { id?: string; appId?: string }): Application | undefined {
    if (ref.id !== undefined) return this.applications.get(ref.id.toLowerCase())
    for (const app of this.applications.values())
      if (app.appId === ref.appId?.toLowerCase()) return app
    return undefined
  }

  identity(resourceId: string): ManagedIdentity | undefined {
    return this.identities.get(resourceId.toLowerCase())
  }

  putIdentity(
    resourceId: string,
    name: string,
    location: string,
    tags: Record<string, string>,
  ): { identity: ManagedIdentity; created: boolean } {
    const existing = this.identity(resourceId)
    if (existing !== undefined) {
      const updated = { ...existing, location, tags }
      this.identities.set(resourceId.toLowerCase(), updated)
      return { identity: updated, created: false }
    }
    const identity: ManagedIdentity = {
      resourceId,
      name,
      location,
      tags,
      clientId: randomUUID(),
      principalId: randomUUID(),
      fics: new Map(),
      writing: false,
    }
    this.identities.set(resourceId.toLowerCase(), identity)
    return { identity, created: true }
  }

  /** The application or identity a token request names by client id. */
  client(clientId: string): AzureClientFacts | undefined {
    const id = clientId.toLowerCase()
    for (const app of this.applications.values())
      if (app.appId === id)
        return {
          kind: 'application',
          clientId: app.appId,
          principalId: app.servicePrincipalId,
          displayName: app.displayName,
          fics: [...app.fics.values()],
        }
    for (const mi of this.identities.values())
      if (mi.clientId === id)
        return {
          kind: 'managed-identity',
          clientId: mi.clientId,
          principalId: mi.principalId,
          displayName: mi.name,
          fics: [...mi.fics.values()],
        }
    return undefined
  }
}
