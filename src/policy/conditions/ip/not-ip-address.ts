import { negated } from '../operator.js'
import { ipAddress } from './ip-address.js'

/** The request IP address lies in none of the policy's CIDR blocks. */
export const notIpAddress = negated('NotIpAddress', ipAddress)
