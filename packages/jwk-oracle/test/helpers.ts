import { modulusFromJwk, modulusHash, type RsaJwk } from '@zksso/core';
import type { Address, PublicClient } from 'viem';
import { jwkRegistryAbi } from '../src/registry-abi.ts';

/** The modulus hashes an issuer publishes now, computed independently of the oracle. */
export async function publishedModulusHashes(jwksUri: string): Promise<bigint[]> {
  const jwks = (await (await fetch(jwksUri)).json()) as { keys: RsaJwk[] };
  return jwks.keys.map((k) => modulusHash(modulusFromJwk(k)));
}

export async function isValidKey(client: PublicClient, registry: Address, issHash: bigint, hash: bigint) {
  return client.readContract({
    address: registry,
    abi: jwkRegistryAbi,
    functionName: 'isValidKey',
    args: [issHash, hash],
  });
}

export async function statusOf(client: PublicClient, registry: Address, issHash: bigint, hash: bigint) {
  const [status] = await client.readContract({
    address: registry,
    abi: jwkRegistryAbi,
    functionName: 'keyStatus',
    args: [issHash, hash],
  });
  return status;
}

/** A logger that keeps every line, to assert what was (not) logged. */
export function memoryLogger() {
  const lines: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const log =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      lines.push({ level, event, fields });
    };
  return {
    lines,
    text: () => JSON.stringify(lines, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)),
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
  };
}

/** Fast retries for tests (bounded, a few ms apart). */
export const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } as const;
