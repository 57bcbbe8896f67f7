import { expect, it } from 'vitest'
import { operatorTable } from '../../../../test/policy/operator-harness.js'
import { parseCidr } from './cidr.js'
import { ipAddress } from './ip-address.js'
import { notIpAddress } from './not-ip-address.js'

it('parses IPv4, IPv6 and CIDR blocks', () => {
  expect(parseCidr('10.0.0.0/8')).toEqual({ version: 4, groups: [0x0a00, 0], prefix: 8 })
  expect(parseCidr('::1')).toEqual({ version: 6, groups: [0, 0, 0, 0, 0, 0, 0, 1], prefix: 128 })
  expect(parseCidr('::ffff:10.0.0.1')?.groups).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a00, 1])
  for (const bad of [
    '',
    '10.0.0',
    '256.0.0.1',
    '10.0.0.0/33',
    '1::2::3',
    '::/129',
    'x',
    '1:2:3:4:5:6:7:8:9',
  ])
    expect(parseCidr(bad)).toBeUndefined()
})
operatorTable(ipAddress, [
  ['10.0.0.0/8', '10.255.255.255', true],
  ['10.0.0.0/8', '11.0.0.0', false],
  ['0.0.0.0/0', '1.2.3.4', true],
  ['10.1.2.3', '10.1.2.3', true],
  ['10.1.2.3', '10.1.2.4', false],
  ['172.16.0.0/12', '172.31.255.1', true],
  ['172.16.0.0/12', '172.32.0.1', false],
  ['2001:db8::/32', '2001:db8:ffff::1', true],
  ['2001:db8::/33', '2001:db8:8000::1', false],
  ['::/0', '::1', true],
  ['10.0.0.0/8', '::1', false],
  ['127.0.0.0/8', '::ffff:127.0.0.1', true],
  ['::ffff:0:0/96', '::ffff:127.0.0.1', false],
])
operatorTable(notIpAddress, [
  ['10.0.0.0/8', '10.0.0.1', false],
  ['10.0.0.0/8', '192.168.0.1', true],
])
