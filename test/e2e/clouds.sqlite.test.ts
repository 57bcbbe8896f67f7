import { cloudSuite } from './support/cloud-suite.js'

cloudSuite('SQLite', () => Promise.resolve({}))
