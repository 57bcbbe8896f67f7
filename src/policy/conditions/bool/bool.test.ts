import { operatorTable } from '../../../../test/policy/operator-harness.js'
import { bool } from './bool.js'

operatorTable(bool, [
  ['true', 'true', true],
  ['TRUE', 'true', true],
  ['true', 'True', true],
  ['true', 'false', false],
  ['false', 'false', true],
  ['yes', 'yes', false],
])
