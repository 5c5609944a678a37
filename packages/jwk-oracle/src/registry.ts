import {
  type Address,
  BaseError,
  type Chain,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type PublicClient,
  parseEventLogs,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { OnChainKey } from './diff.ts';
import { OracleChainError, OracleQuorumError } from './errors.ts';
import {
  type JwkUpdate,
  jwkBatchTypes,
  jwkRegistryAbi,
  jwkRegistryDomain,
  type KeyStatusValue,
} from './registry-abi.ts';
import type { OracleSigner } from './signers.ts';

/**
 * Who authorises the batch: the registry owner, or k-of-n oracle signatures.
 *
 * @example
 * ```ts
 * const authority: RegistryAuthority = { mode: 'owner', privateKey };
 * ```
 */
export type RegistryAuthority =
  | { mode: 'owner'; privateKey: Hex }
  | { mode: 'oracle'; signers: readonly OracleSigner[]; submitterKey: Hex };

/**
 * A mined batch.
 *
 * @example
 * ```ts
 * const { txHash, added } = await registry.submit(updates);
 * ```
 */
export interface SubmittedBatch {
  txHash: Hex;
  blockNumber: bigint;
  /** Events the transaction emitted. */
  added: { issHash: bigint; modulusHash: bigint }[];
  revoked: { issHash: bigint; modulusHash: bigint }[];
  /** The oracle batch nonce used (oracle mode). */
  batchNonce?: bigint;
}

/**
 * Options of {@link createRegistryClient}.
 *
 * @example
 * ```ts
 * createRegistryClient({ rpcUrl, registry, authority, receiptTimeoutMs: 30_000 });
 * ```
 */
export interface RegistryClientOptions {
  rpcUrl: string;
  registry: Address;
  authority: RegistryAuthority;
  /** Per JSON-RPC request (default 15 000 ms). */
  rpcTimeoutMs?: number;
  /** How long to wait for the receipt (default 60 000 ms). */
  receiptTimeoutMs?: number;
}

/**
 * Reads and writes the JwkRegistry for the oracle. Every failure becomes an {@link OracleChainError} whose
 * message names the revert reason when there is one.
 *
 * @example
 * ```ts
 * const registry = createRegistryClient({ rpcUrl, registry, authority: { mode: 'owner', privateKey } });
 * const keys = await registry.keysOf(issHash);
 * ```
 */
export function createRegistryClient(options: RegistryClientOptions) {
  // viem's own retries are off: the oracle retries whole read-diff-submit steps with its own backoff.
  const transport = http(options.rpcUrl, { retryCount: 0, timeout: options.rpcTimeoutMs ?? 15_000 });
  const publicClient = createPublicClient({ transport }) as PublicClient;
  const address = options.registry;
  let chain: Chain | undefined;

  async function getChain(): Promise<Chain> {
    if (chain) return chain;
    const id = await publicClient.getChainId();
    chain = defineChain({
      id,
      name: `chain ${id}`,
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [options.rpcUrl] } },
    });
    return chain;
  }

  async function keysOf(issHash: bigint): Promise<OnChainKey[]> {
    try {
      const [hashes, statuses] = await publicClient.readContract({
        address,
        abi: jwkRegistryAbi,
        functionName: 'keysOf',
        args: [issHash],
      });
      return hashes.map((modulusHash, i) => ({ modulusHash, status: statuses[i] as KeyStatusValue }));
    } catch (error) {
      throw chainError('read', error);
    }
  }

  async function oracleSignatures(updates: JwkUpdate[], signers: readonly OracleSigner[]) {
    const [batchNonce, threshold, oracleSet] = await Promise.all([
      publicClient.readContract({ address, abi: jwkRegistryAbi, functionName: 'nonce' }),
      publicClient.readContract({ address, abi: jwkRegistryAbi, functionName: 'threshold' }),
      publicClient.readContract({ address, abi: jwkRegistryAbi, functionName: 'oracles' }),
    ]);
    const members = new Set(oracleSet.map((a) => a.toLowerCase()));
    const usable = signers
      .filter((s) => members.has(s.address.toLowerCase()))
      .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
    if (threshold === 0n || BigInt(usable.length) < threshold) {
      throw new OracleQuorumError(usable.length, Number(threshold), {
        held: signers.map((s) => s.address),
        oracles: oracleSet,
      });
    }
    // Exactly `threshold` signatures, by ascending signer as the contract requires.
    const chosen = usable.slice(0, Number(threshold));
    const typedData = {
      domain: jwkRegistryDomain((await getChain()).id, address),
      types: jwkBatchTypes,
      primaryType: 'JwkBatch' as const,
      message: { updates, nonce: batchNonce },
    };
    const signatures = await Promise.all(chosen.map((s) => s.signBatch(typedData)));
    return { batchNonce, signatures };
  }

  async function submit(updates: JwkUpdate[]): Promise<SubmittedBatch> {
    const authority = options.authority;
    const account = privateKeyToAccount(
      authority.mode === 'owner' ? authority.privateKey : authority.submitterKey,
    );
    let batchNonce: bigint | undefined;
    let hash: Hex;
    try {
      const walletClient = createWalletClient({ account, chain: await getChain(), transport });
      if (authority.mode === 'owner') {
        const { request } = await publicClient.simulateContract({
          account,
          address,
          abi: jwkRegistryAbi,
          functionName: 'applyUpdates',
          args: [updates],
        });
        hash = await walletClient.writeContract(request);
      } else {
        const signed = await oracleSignatures(updates, authority.signers);
        batchNonce = signed.batchNonce;
        const { request } = await publicClient.simulateContract({
          account,
          address,
          abi: jwkRegistryAbi,
          functionName: 'applyOracleBatch',
          args: [updates, signed.batchNonce, signed.signatures],
        });
        hash = await walletClient.writeContract(request);
      }
    } catch (error) {
      if (error instanceof OracleQuorumError) throw error;
      throw chainError('submit', error);
    }
    let receipt: Awaited<ReturnType<typeof publicClient.waitForTransactionReceipt>>;
    try {
      receipt = await publicClient.waitForTransactionReceipt({
        hash,
        timeout: options.receiptTimeoutMs ?? 60_000,
        pollingInterval: 250,
      });
    } catch (error) {
      throw chainError('submit', error, { txHash: hash });
    }
    if (receipt.status !== 'success') {
      throw new OracleChainError('submit', `transaction ${hash} reverted`, { txHash: hash });
    }
    const logs = parseEventLogs({ abi: jwkRegistryAbi, logs: receipt.logs });
    return {
      txHash: hash,
      blockNumber: receipt.blockNumber,
      added: logs
        .filter((l) => l.eventName === 'JwkAdded')
        .map((l) => ({ ...(l.args as { issHash: bigint; modulusHash: bigint }) })),
      revoked: logs
        .filter((l) => l.eventName === 'JwkRevoked')
        .map((l) => ({ ...(l.args as { issHash: bigint; modulusHash: bigint }) })),
      ...(batchNonce === undefined ? {} : { batchNonce }),
    };
  }

  return { publicClient, keysOf, submit };
}

/** A registry client. @example `const client: RegistryClient = createRegistryClient(options);` */
export type RegistryClient = ReturnType<typeof createRegistryClient>;

/**
 * The registry errors that another attempt in the same pass cannot fix (wrong key, wrong signatures).
 *
 * @example
 * ```ts
 * isPermanentRevert('OwnableUnauthorizedAccount'); // true
 * ```
 */
export function isPermanentRevert(errorName: string | undefined): boolean {
  return (
    errorName === 'OwnableUnauthorizedAccount' ||
    errorName === 'InvalidOracleSignature' ||
    errorName === 'NotEnoughSignatures'
  );
}

function chainError(
  stage: 'read' | 'submit',
  error: unknown,
  extra: Record<string, unknown> = {},
): OracleChainError {
  if (error instanceof OracleChainError) return error;
  if (error instanceof BaseError) {
    const revert = error.walk(
      (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError | null;
    if (revert?.data?.errorName) {
      const args = (revert.data.args ?? []).map((a) =>
        typeof a === 'bigint' ? `0x${a.toString(16)}` : String(a),
      );
      return new OracleChainError(stage, `reverted with ${revert.data.errorName}(${args.join(', ')})`, {
        ...extra,
        revert: revert.data.errorName,
      });
    }
    return new OracleChainError(stage, error.shortMessage, extra);
  }
  return new OracleChainError(stage, String(error), extra);
}
