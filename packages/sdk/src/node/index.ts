// `@zksso/sdk/node`: the Node-only parts of the SDK (files, processes, node:http). Everything else, and
// everything a web page needs, is in `@zksso/sdk`, which never imports these.

// The error loadZkSsoNetwork throws (also exported by `@zksso/sdk`; the same class).
export { InvalidNetworkError } from '../network.ts';
export { nodeHttpTransport } from './http.ts';
export { devStackStateDir, loadDevStackNetwork, loadZkSsoNetwork } from './network.ts';
