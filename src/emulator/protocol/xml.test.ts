import { describe, expect, it } from 'vitest'
import { errorXml, successXml } from './xml.js'

/** What one text becomes inside an element: the `<Message>` of an error answer. */
function written(text: string): string {
  const xml = errorXml('sts', { fault: 'Sender', code: 'X', message: text }, 'req')
  return /<Message>(.*)<\/Message>|<Message\/>/su.exec(xml)?.[1] ?? ''
}

const CASES: ReadonlyArray<readonly [string, string, string]> = [
  [
    'printable ASCII as it is',
    'arn:aws:iam::123456789012:role/a+b=c,d.e@f-g_h',
    'arn:aws:iam::123456789012:role/a+b=c,d.e@f-g_h',
  ],
  ['quotes as they are (AWS does not escape them)', `it's "here"`, `it's "here"`],
  ['&, < and > escaped', 'a & b < c > d', 'a &amp; b &lt; c &gt; d'],
  ['tab, LF and CR kept', 'a\tb\nc\rd', 'a\tb\nc\rd'],
  ['text beyond ASCII kept', 'é 中文 😀 \u0085 \u00A0', 'é 中文 😀 \u0085 \u00A0'],
  ['beyond ASCII and & together', 'é & ü', 'é &amp; ü'],
  ['control characters replaced', 'a\u0000b\u001Fc\u0008', 'a\uFFFDb\uFFFDc\uFFFD'],
  [
    'lone surrogates replaced, pairs kept',
    'a\uD800b\uDC00c\uD83D\uDE00',
    'a\uFFFDb\uFFFDc\uD83D\uDE00',
  ],
  ['U+FFFE and U+FFFF replaced', 'a\uFFFEb\uFFFF', 'a\uFFFDb\uFFFD'],
  ['DEL kept (XML 1.0 allows it)', 'a\u007Fb', 'a\u007Fb'],
  ['empty text as an empty element', '', ''],
]

describe('XML text', () => {
  for (const [name, input, expected] of CASES) it(name, () => expect(written(input)).toBe(expected))

  it('a success answer escapes its values the same way and keeps member order', () => {
    const xml = successXml(
      'sts',
      'GetCallerIdentity',
      {
        shape: [
          ['UserId', 'string'],
          ['Account', 'string'],
          ['Arn', 'string'],
        ],
        value: { Arn: 'arn:<x>', Account: '1&2', UserId: 'é' },
      },
      'req-1',
    )
    expect(xml).toBe(
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
        '<GetCallerIdentityResult><UserId>é</UserId><Account>1&amp;2</Account><Arn>arn:&lt;x&gt;</Arn></GetCallerIdentityResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
    )
  })
})
