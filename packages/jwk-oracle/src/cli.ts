#!/usr/bin/env -S npx tsx
/**
 * zksso-jwk-oracle: keeps a JwkRegistry in sync with OpenID providers' JWKS.
 *
 *   tsx packages/jwk-oracle/src/cli.ts --issuer <url> [--jwks-uri <url>] ... --rpc <url> --registry <addr> [--once]
 *
 * Keys come from the environment only (never flags, never logged): ZKSSO_ORACLE_PRIVATE_KEY (owner mode: the
 * owner key; oracle mode: one or more comma-separated oracle keys) and ZKSSO_ORACLE_SUBMITTER_KEY (oracle
 * mode, optional). Exit codes: 0 in sync, 1 chain or quorum failure, 2 a provider could not be fetched,
 * 64 bad usage.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ZkSsoError } from '@zksso/core';
import type { Address, Hex } from 'viem';
import { OracleConfigError } from './errors.ts';
import { createJwkOracle, type IssuerConfig, type SignerConfig } from './oracle.ts';

const USAGE = `usage: zksso-jwk-oracle --issuer <url> [--jwks-uri <url>] [--issuer ...] --rpc <url> --registry <address>
       [--once] [--mode owner|oracle] [--poll-interval <s>] [--grace-period <s>] [--revoke-immediately]
       [--state-file <path>] [--health-port <port>] [--fetch-timeout <s>]
env:   ZKSSO_ORACLE_PRIVATE_KEY (required), ZKSSO_ORACLE_SUBMITTER_KEY (oracle mode, optional)`;

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
  return { values, issuers };
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
    issuers.length === 0 && '--issuer',
    !values.rpc && '--rpc',
    !values.registry && '--registry',
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
