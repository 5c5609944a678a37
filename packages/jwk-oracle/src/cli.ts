#!/usr/bin/env node
/**
 * zksso-jwk-oracle: keeps a JwkRegistry in sync with OpenID providers' JWKS.
 *
 *   tsx packages/jwk-oracle/src/cli.ts --issuer <url> [--jwks-uri <url>] ... --rpc <url> --registry <addr> [--once]
 *
 * Every setting also has an environment variable (ZKSSO_ORACLE_*, see README "Configuration"); a flag wins over
 * its variable. Keys come from the environment only (never flags, never logged): ZKSSO_ORACLE_PRIVATE_KEY
 * (owner mode: the owner key; oracle mode: one or more comma-separated oracle keys) and
 * ZKSSO_ORACLE_SUBMITTER_KEY (oracle mode, optional). Exit codes: 0 in sync, 1 chain or quorum failure,
 * 2 a provider could not be fetched, 64 bad usage.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ZkSsoError } from '@zksso/core';
import type { Address, Hex } from 'viem';
import type { SignerConfig } from './authority.ts';
import { OracleConfigError } from './errors.ts';
import type { IssuerConfig } from './issuers.ts';
import { createJwkOracle } from './oracle.ts';

const USAGE = `usage: zksso-jwk-oracle --issuer <url> [--jwks-uri <url>] [--issuer ...] --rpc <url> --registry <address>
       [--once] [--mode owner|oracle] [--poll-interval <s>] [--grace-period <s>] [--revoke-immediately]
       [--state-file <path>] [--health-port <port>] [--health-host <host>] [--fetch-timeout <s>]
env:   ZKSSO_ORACLE_PRIVATE_KEY (required), ZKSSO_ORACLE_SUBMITTER_KEY (oracle mode, optional);
       each flag also reads ZKSSO_ORACLE_<FLAG> (ZKSSO_ORACLE_ISSUERS=<iss>[=<jwks uri>],...; ZKSSO_ORACLE_RPC_URL;
       ZKSSO_ORACLE_REGISTRY; ZKSSO_ORACLE_MODE; ZKSSO_ORACLE_POLL_INTERVAL_S; ZKSSO_ORACLE_GRACE_PERIOD_S;
       ZKSSO_ORACLE_STATE_FILE; ZKSSO_ORACLE_HEALTH_PORT; ZKSSO_ORACLE_HEALTH_HOST; ZKSSO_ORACLE_FETCH_TIMEOUT_S)`;

/** Exit codes of the CLI. */
const EXIT = { ok: 0, chain: 1, provider: 2, usage: 64 } as const;

function parseCli(argv: string[]) {
  const { values, tokens } = parseArgs({
    args: argv,
    tokens: true,
    options: {
      issuer: { type: 'string', multiple: true },
      'jwks-uri': { type: 'string', multiple: true },
      rpc: { type: 'string' },
      registry: { type: 'string' },
      once: { type: 'boolean' },
      mode: { type: 'string' },
      'poll-interval': { type: 'string' },
      'grace-period': { type: 'string' },
      'revoke-immediately': { type: 'boolean' },
      'state-file': { type: 'string' },
      'health-port': { type: 'string' },
      'health-host': { type: 'string' },
      'fetch-timeout': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  // --jwks-uri belongs to the --issuer just before it.
  const issuers: { issuer: string; jwksUri?: string }[] = [];
  for (const token of tokens ?? []) {
    if (token.kind !== 'option') continue;
    if (token.name === 'issuer') issuers.push({ issuer: token.value as string });
    if (token.name === 'jwks-uri') {
      const last = issuers.at(-1);
      if (!last || last.jwksUri) throw new OracleConfigError('--jwks-uri must follow its --issuer');
      last.jwksUri = token.value as string;
    }
  }
  return {
    values: withEnvironment(values, process.env),
    issuers: issuers.length > 0 ? issuers : envIssuers(),
  };
}

/** Settings a flag leaves unset come from the environment (documented in the README's configuration table). */
function withEnvironment<T extends Record<string, unknown>>(values: T, env: NodeJS.ProcessEnv): T {
  const fromEnv: Record<string, string | undefined> = {
    rpc: env.ZKSSO_ORACLE_RPC_URL,
    registry: env.ZKSSO_ORACLE_REGISTRY,
    mode: env.ZKSSO_ORACLE_MODE,
    'poll-interval': env.ZKSSO_ORACLE_POLL_INTERVAL_S,
    'grace-period': env.ZKSSO_ORACLE_GRACE_PERIOD_S,
    'state-file': env.ZKSSO_ORACLE_STATE_FILE,
    'health-port': env.ZKSSO_ORACLE_HEALTH_PORT,
    'health-host': env.ZKSSO_ORACLE_HEALTH_HOST,
    'fetch-timeout': env.ZKSSO_ORACLE_FETCH_TIMEOUT_S,
  };
  const merged: Record<string, unknown> = { ...values };
  for (const [name, value] of Object.entries(fromEnv)) {
    if (merged[name] === undefined && value !== undefined && value !== '') merged[name] = value;
  }
  return merged as T;
}

/** `ZKSSO_ORACLE_ISSUERS`: comma-separated `<issuer>` or `<issuer>=<jwks uri>` entries. */
function envIssuers(): { issuer: string; jwksUri?: string }[] {
  return (process.env.ZKSSO_ORACLE_ISSUERS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? { issuer: entry } : { issuer: entry.slice(0, at), jwksUri: entry.slice(at + 1) };
    });
}

function seconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new OracleConfigError(`${name} must be a number of seconds >= 0`, { [name]: value });
  return n * 1000;
}

function defaultStateFile(registry: string): string {
  const cache =
    process.env.ZKSSO_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'zksso');
  return join(cache, 'jwk-oracle', `${registry.toLowerCase()}.json`);
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, issuers } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const missing = [
    issuers.length === 0 && '--issuer (or ZKSSO_ORACLE_ISSUERS)',
    !values.rpc && '--rpc (or ZKSSO_ORACLE_RPC_URL)',
    !values.registry && '--registry (or ZKSSO_ORACLE_REGISTRY)',
    !process.env.ZKSSO_ORACLE_PRIVATE_KEY && 'ZKSSO_ORACLE_PRIVATE_KEY',
  ].filter(Boolean);
  if (missing.length > 0) {
    process.stderr.write(`missing ${missing.join(', ')}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const keys = (process.env.ZKSSO_ORACLE_PRIVATE_KEY as string).split(',').map((k) => k.trim()) as Hex[];
  const mode = values.mode ?? 'owner';
  let signer: SignerConfig;
  if (mode === 'owner') signer = { mode: 'owner', privateKey: keys[0] as Hex };
  else if (mode === 'oracle') {
    const submitterKey = process.env.ZKSSO_ORACLE_SUBMITTER_KEY as Hex | undefined;
    signer = { mode: 'oracle', privateKeys: keys, ...(submitterKey ? { submitterKey } : {}) };
  } else {
    process.stderr.write(`--mode must be owner or oracle\n${USAGE}\n`);
    return EXIT.usage;
  }

  let oracle: ReturnType<typeof createJwkOracle>;
  try {
    const gracePeriodMs = values['revoke-immediately'] ? 0 : seconds(values['grace-period'], 'grace-period');
    const healthPort = values['health-port'] === undefined ? undefined : Number(values['health-port']);
    if (
      healthPort !== undefined &&
      !(Number.isInteger(healthPort) && healthPort >= 0 && healthPort < 65536)
    ) {
      throw new OracleConfigError('health-port must be a TCP port', { 'health-port': values['health-port'] });
    }
    const fetchTimeoutMs = seconds(values['fetch-timeout'], 'fetch-timeout');
    oracle = createJwkOracle({
      issuers: issuers as IssuerConfig[],
      rpcUrl: values.rpc as string,
      registry: values.registry as Address,
      signer,
      stateFile: values['state-file'] ?? defaultStateFile(values.registry as string),
      ...(gracePeriodMs === undefined ? {} : { gracePeriodMs }),
      ...(fetchTimeoutMs === undefined ? {} : { fetchTimeoutMs }),
      ...(values['poll-interval'] === undefined
        ? {}
        : { pollIntervalMs: seconds(values['poll-interval'], 'poll-interval') }),
      ...(healthPort === undefined ? {} : { healthPort }),
      ...(values['health-host'] === undefined ? {} : { healthHost: values['health-host'] }),
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }

  if (!values.once) {
    await oracle.start();
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await oracle.stop();
    return EXIT.ok;
  }

  try {
    const report = await oracle.reconcileOnce();
    const failed = report.issuers.filter((i) => i.status !== 'ok');
    for (const issuer of failed) {
      process.stderr.write(`error: ${issuer.issuer}: ${issuer.error} (nothing revoked for this issuer)\n`);
    }
    const added = report.issuers.reduce((n, i) => n + i.added.length, 0);
    const revoked = report.issuers.reduce((n, i) => n + i.revoked.length, 0);
    process.stdout.write(
      `${report.changed ? `applied ${added} addition(s), ${revoked} revocation(s) in ${report.txHash}` : 'registry already in sync'}\n`,
    );
    return failed.length === 0 ? EXIT.ok : EXIT.provider;
  } catch (error) {
    const code = error instanceof ZkSsoError ? `${error.code}: ` : '';
    process.stderr.write(`error: ${code}${(error as Error).message}\n`);
    return EXIT.chain;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exit(EXIT.chain);
  },
);
