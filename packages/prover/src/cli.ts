// The prover service from the command line: `tsx packages/prover/src/cli.ts` (configuration by environment,
// see the README). SIGTERM / SIGINT: stop accepting, finish the proofs in flight, exit.
import { ConfigError, loadConfig } from './config.ts';
import { createProverService } from './server.ts';
import { handleShutdownSignals } from './shutdown.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
if (config.issuers.length === 0)
  console.error('warning: ZKSSO_PROVER_ISSUERS is empty: every token will be refused');
const service = createProverService(config);
handleShutdownSignals(service);
try {
  await service.listen();
} catch (error) {
  // A keys folder file missing or corrupt (ZKSSO_PROVER_KEYS_DIR): the message names the file.
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
