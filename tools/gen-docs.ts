// `npm run docs`: regenerates the generated documentation files.
import { writeFileSync } from 'node:fs'
import { renderConfigurationDocs, renderErrorDocs } from '../src/shared/config/render-docs.js'

writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigurationDocs())
writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorDocs())
process.stdout.write('wrote docs/configuration.md, docs/errors.md\n')
