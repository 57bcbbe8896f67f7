// Runs one benchmark (bench/<name>/index.ts) and prints its section as JSON on stdout; progress
// goes to stderr. Used by bench/run.ts, one process per benchmark.
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchSection } from './types.js'

const name = process.argv[2]
if (name === undefined || !/^[\w-]+$/u.test(name)) {
  process.stderr.write('usage: run-one.ts <benchmark>\n')
  process.exit(2)
}
const here = dirname(fileURLToPath(import.meta.url))
const mod = (await import(pathToFileURL(join(here, name, 'index.ts')).href)) as {
  run: () => Promise<BenchSection>
}
const section = await mod.run()
process.stdout.write(JSON.stringify(section))
