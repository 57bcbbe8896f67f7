import { piecesText } from '../../match/variables.js'
import type { ConditionOperator } from '../operator.js'
import { cidrContains, parseCidr, parseRequestAddress, type Cidr } from './cidr.js'

/** The request IP address (IPv4 or IPv6) lies in the policy's CIDR block; a bare IP is /32 or /128. */
export const ipAddress: ConditionOperator<Cidr> = {
  name: 'IpAddress',
  isNegative: false,
  allowsVariables: false,
  allowsWildcards: false,
  prepare: (value) => parseCidr(piecesText(value)),
  test: (requestValue, block) => {
    const address = parseRequestAddress(requestValue)
    return address !== undefined && cidrContains(block, address)
  },
}
