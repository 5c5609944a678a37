// Runs the dev IdP: `tsx packages/dev-idp/src/cli.ts --port 18800 [--state-dir DIR] [--issuer URL]`.
import { parseArgs } from 'node:util';
import { startDevIdp } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.DEV_IDP_PORT ?? '18800' },
    host: { type: 'string', default: process.env.DEV_IDP_HOST ?? '127.0.0.1' },
    issuer: { type: 'string', default: process.env.DEV_IDP_ISSUER },
    'state-dir': { type: 'string', default: process.env.DEV_IDP_STATE_DIR },
  },
});

const idp = await startDevIdp({
  port: Number(values.port),
  host: values.host,
  issuer: values.issuer,
  stateDir: values['state-dir'],
});
console.log(JSON.stringify({ msg: 'dev IdP listening', issuer: idp.issuer, jwksUri: idp.jwksUri }));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    idp.stop().then(() => process.exit(0));
  });
}
