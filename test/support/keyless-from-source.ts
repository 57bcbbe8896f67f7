process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'
import { main } from '../../src/bin/keyless.js'

await main(process.argv)
