import { deploymentSuite } from './support/suite.js'

deploymentSuite('SQLite', () => Promise.resolve({}))
