/**
 * Parsed trust policies, keyed by their exact text. Parsing is a pure function of the text, and the
 * policy engine caches its compilation per parsed object, so a role's trust policy is parsed and
 * compiled once instead of on every AssumeRoleWithWebIdentity. Only the policy is cached — every
 * request is still evaluated against it (docs/architecture.md §9 "Replays"). Editing a trust policy
 * changes its text, so the next request parses the new one.
 */
import { parsePolicy } from '../../policy/index.js'
import { boundedMemo } from '../../shared/bounded-memo.js'

/** More distinct trust policies than this and the cache starts over (memory stays bounded). */
export const parseTrustPolicy = boundedMemo(1024, parsePolicy)
