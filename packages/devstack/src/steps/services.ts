import { join } from 'node:path';
import { DEV_CLIENT_ID, DEV_CLIENT_ID_OTHER, startDevIdp } from '@zksso/dev-idp';
import { loadConfig as loadSaltConfig, startSaltService } from '@zksso/salt';
import type { Address } from 'viem';
import { startAlto } from '../chain.ts';
import { fileLogger } from '../logs.ts';
import { devSaltSeed, type StatePaths } from '../state.ts';
import type { Lifecycle } from './lifecycle.ts';

/** The dev IdP's client ids: the audiences the salt service and the prover accept. */
export const DEV_CLIENT_IDS: readonly string[] = [DEV_CLIENT_ID, DEV_CLIENT_ID_OTHER];

/**
 * Starts Alto (the bundler) against the chain's EntryPoint and waits until it answers.
 *
 * @example
 * ```ts
 * const bundlerUrl = await startBundler(life, state, { port: 4337, rpcUrl, entryPoint, verbose: false });
 * ```
 */
export async function startBundler(
  life: Lifecycle,
  state: StatePaths,
  options: { port: number; rpcUrl: string; entryPoint: Address; verbose: boolean },
): Promise<string> {
  const bundlerUrl = `http://127.0.0.1:${options.port}`;
  life.status(`starting Alto (bundler) on ${bundlerUrl}`);
  await startAlto(
    {
      port: options.port,
      logFile: state.log('alto'),
      verbose: options.verbose,
      signal: life.signal,
      rpcUrl: options.rpcUrl,
      entryPoint: options.entryPoint,
    },
    (proc) => life.track(proc),
  );
  return bundlerUrl;
}

/**
 * Starts the dev OpenID provider with its keys kept in the state directory.
 *
 * @example
 * ```ts
 * const idp = await startIdp(life, state, { port: 5556 });
 * console.log(idp.issuer, idp.jwksUri);
 * ```
 */
export async function startIdp(
  life: Lifecycle,
  state: StatePaths,
  options: { port: number },
): Promise<{ issuer: string; jwksUri: string }> {
  const idp = await life.abortable(startDevIdp({ port: options.port, stateDir: state.idpKeys }));
  life.onStop('dev OpenID provider', () => idp.stop());
  life.status(`dev OpenID provider at ${idp.issuer}`);
  return idp;
}

/**
 * Starts the salt service in derived mode with the dev seed of the state directory, for the dev IdP, with
 * rate limits loose enough for dev loops that log in often.
 *
 * @example
 * ```ts
 * const saltUrl = await startSalt(life, state, { port: 5557, idp, verbose: false });
 * ```
 */
export async function startSalt(
  life: Lifecycle,
  state: StatePaths,
  options: { port: number; idp: { issuer: string; jwksUri: string }; verbose: boolean },
): Promise<string> {
  const { idp } = options;
  const config = loadSaltConfig({
    SALT_MODE: 'derived',
    SALT_MASTER_SEED: devSaltSeed(state),
    SALT_HOST: '127.0.0.1',
    SALT_PORT: String(options.port),
    SALT_ISSUERS: idp.issuer,
    SALT_JWKS_URIS: `${idp.issuer}=${idp.jwksUri}`,
    SALT_AUDIENCES: DEV_CLIENT_IDS.join(','),
    SALT_SQLITE_PATH: join(state.dir, 'salt.sqlite'),
    // Dev loops log in often: the production rate limits would get in the way.
    SALT_RATE_IP_PER_MIN: '6000',
    SALT_RATE_IP_BURST: '200',
    SALT_RATE_SUBJECT_PER_MIN: '600',
    SALT_RATE_SUBJECT_BURST: '100',
    SALT_SHUTDOWN_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'info',
  });
  const salt = await life.abortable(
    startSaltService({ config, logger: fileLogger('salt', state.log('salt'), options.verbose) }),
  );
  life.onStop('salt service', () => salt.close());
  life.status(`salt service at ${salt.url}`);
  return salt.url;
}
