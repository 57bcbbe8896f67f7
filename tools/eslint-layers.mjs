// ESLint rule `layers/direction`: fails when an import breaks the dependency direction of
// docs/architecture.md §1. Written by hand because the stock rules match import strings, not
// resolved folders.
import { dirname, relative, resolve, sep } from 'node:path'
import { builtinModules } from 'node:module'

/** Which src/ folders each src/ folder may import (itself is always allowed). */
export const ALLOWED = {
  shared: [],
  policy: ['shared'],
  federation: ['shared', 'policy'],
  emulator: ['shared', 'policy', 'federation'],
  trust: ['shared', 'policy', 'federation', 'client'],
  store: ['shared'],
  platform: ['shared', 'store'],
  idp: ['shared', 'store'],
  server: ['shared', 'store', 'platform', 'idp', 'trust'],
  client: ['shared'],
  runner: ['shared', 'federation'],
  agent: ['shared', 'client', 'runner'],
  cli: [
    'shared',
    'policy',
    'federation',
    'emulator',
    'trust',
    'store',
    'platform',
    'idp',
    'server',
    'runner',
    'agent',
    'client',
  ],
  bin: ['cli', 'shared'],
}

/** Folders that must not import Node built-ins (pure code). */
const PURE = new Set(['policy', 'federation'])
const BUILTINS = new Set(builtinModules)

function layerOf(file, srcRoot) {
  const rel = relative(srcRoot, file)
  if (rel.startsWith('..')) return undefined
  return rel.split(sep)[0]
}

const direction = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Enforce the dependency direction between src/ folders (docs/architecture.md §1).',
    },
    schema: [],
  },
  create(context) {
    const file = context.filename
    const srcRoot = resolve(context.cwd, 'src')
    const from = layerOf(file, srcRoot)
    if (from === undefined || !(from in ALLOWED)) return {}
    function check(node, source) {
      if (typeof source !== 'string') return
      if (PURE.has(from) && (source.startsWith('node:') || BUILTINS.has(source.split('/')[0]))) {
        context.report({
          node,
          message: `src/${from} is pure: it may not import the Node built-in '${source}'.`,
        })
        return
      }
      if (!source.startsWith('.')) return
      const target = layerOf(resolve(dirname(file), source), srcRoot)
      if (target === undefined || target === from) return
      if (!ALLOWED[from].includes(target)) {
        context.report({
          node,
          message: `src/${from} may not import src/${target} (allowed: ${ALLOWED[from].join(', ') || 'nothing'}; docs/architecture.md §1).`,
        })
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    }
  },
}

export const layersPlugin = { rules: { direction } }
