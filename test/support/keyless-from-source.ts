import { main } from '../../src/bin/keyless.js'

await main(process.argv)
