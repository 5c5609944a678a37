// The salt service command line:
//   tsx packages/salt/src/cli.ts serve                 run the service (configuration from the environment)
//   tsx packages/salt/src/cli.ts backup --out FILE     write every stored salt to FILE (JSON Lines, mode 0600)
//   tsx packages/salt/src/cli.ts restore --in FILE     import a backup (never overwrites a stored salt)
import { parseArgs } from 'node:util';
import { backupSalts, restoreSalts } from './backup.ts';
import { loadConfig } from './config.ts';
import { SaltError } from './errors.ts';
import { startSaltService } from './server.ts';
import { openStore } from './store/open.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, in: { type: 'string' } },
});
const command = positionals[0] ?? 'serve';

try {
  const config = loadConfig();
  if (command === 'serve') {
    const service = await startSaltService({ config });
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        service.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  } else if (command === 'backup' || command === 'restore') {
    const file = command === 'backup' ? values.out : values.in;
    if (!file)
      throw new SaltError('BAD_REQUEST', `${command} needs --${command === 'backup' ? 'out' : 'in'} FILE`);
    const store = await openStore(config);
    try {
      const result = command === 'backup' ? await backupSalts(store, file) : await restoreSalts(store, file);
      console.log(JSON.stringify({ command, ...result }));
    } finally {
      await store.close();
    }
  } else {
    throw new SaltError('BAD_REQUEST', `unknown command ${command} (serve, backup, restore)`);
  }
} catch (error) {
  const code = error instanceof SaltError ? error.code : 'INTERNAL_ERROR';
  const details = error instanceof SaltError ? error.details : {};
  console.error(JSON.stringify({ error: { code, message: (error as Error).message, details } }));
  process.exit(1);
}
