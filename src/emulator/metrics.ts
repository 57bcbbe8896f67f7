import { Counter, Registry } from 'prom-client'
import type { PendingDecision } from './decisions.js'

/**
 * The emulator's Prometheus metrics (`GET /_keyless/metrics`): token exchanges by action,
 * decision and the error code the client got ("" when allowed).
 */
export interface EmulatorMetrics {
  readonly registry: Registry
  readonly record: (decision: PendingDecision) => void
}

export function createEmulatorMetrics(): EmulatorMetrics {
  const registry = new Registry()
  const exchanges = new Counter({
    name: 'keyless_emulator_exchanges_total',
    help: 'Token exchanges (AssumeRoleWithWebIdentity and the like), by action, decision and error code.',
    labelNames: ['action', 'decision', 'error_code'] as const,
    registers: [registry],
  })
  // One labelled child per (action, decision, code), so a decision costs one Map lookup.
  const children = new Map<string, { inc(): void }>()
  return {
    registry,
    record(d) {
      const code = d.errorCode ?? ''
      const key = `${d.action}\n${d.decision}\n${code}`
      let child = children.get(key)
      if (child === undefined) {
        child = exchanges.labels({ action: d.action, decision: d.decision, error_code: code })
        children.set(key, child)
      }
      child.inc()
    },
  }
}
