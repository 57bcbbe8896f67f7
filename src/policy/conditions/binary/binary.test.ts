import { operatorTable } from '../../../../test/policy/operator-harness.js'
import { binaryEquals } from './binary-equals.js'

operatorTable(binaryEquals, [
  ['AAEC', 'AAEC', true],
  ['AAEC', 'AAED', false],
  ['QQ==', 'QQ==', true],
  ['QQ', 'QQ', false],
  ['!!!!', '!!!!', false],
])
