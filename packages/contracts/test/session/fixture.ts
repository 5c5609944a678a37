import { type SessionSpec, sessionSpecAbi } from '@zksso/core';
import { loadArtifact } from '@zksso/devstack/deploy';
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  encodeFunctionData,
  encodePacked,
  type Hex,
  http,
  keccak256,
  pad,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll } from 'vitest';
import { ANVIL_KEYS, anvilChain, startAnvil } from '../harness/anvil.ts';
import type { ManagedProcess } from '../harness/processes.ts';

// Shared fixture of the session-validator TypeScript tests: anvil, the compiled SessionKeyValidator with the
// forge test mocks (an account that relays calls, a call target), a session spec and signed user operations.

/** The session key of every test spec. */
export const SESSION_KEY = privateKeyToAccount(
  '0x00000000000000000000000000000000000000000000000000000000000005e5',
);
/** Transfer-policy target of {@link testSpec}. */
export const RECIPIENT: Address = '0x000000000000000000000000000000000000bEEF';

const EXECUTE_ABI = [
  {
    type: 'function',
    name: 'execute',
    stateMutability: 'payable',
    inputs: [
      { name: 'mode', type: 'bytes32' },
      { name: 'executionCalldata', type: 'bytes' },
    ],
    outputs: [],
  },
] as const satisfies Abi;
const SINGLE_MODE = pad('0x00', { dir: 'right', size: 32 });
const BATCH_MODE = pad('0x01', { dir: 'right', size: 32 });
const EXECUTIONS_ABI = [
  {
    type: 'tuple[]',
    components: [
      { name: 'target', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'callData', type: 'bytes' },
    ],
  },
] as const;

export const validatorArtifact = () => loadArtifact('SessionKeyValidator');
export const accountArtifact = () => loadArtifact('MockSessionAccount', { fileName: 'SessionMocks' });
const targetArtifact = () => loadArtifact('MockSessionTarget', { fileName: 'SessionMocks' });

/**
 * Starts a bare anvil before the calling file's tests and stops it after them.
 *
 * @example
 * const rpcUrl = useAnvil();
 * it('...', async () => { const s = await setup(rpcUrl()); });
 */
export function useAnvil(): () => string {
  let anvil: ManagedProcess | undefined;
  let rpcUrl = '';
  beforeAll(async () => {
    ({ anvil, rpcUrl } = await startAnvil());
  });
  afterAll(async () => {
    await anvil?.stop();
  });
  return () => rpcUrl;
}

/** Deploys a fresh validator, mock account and target; `now` is the latest block's timestamp. */
export async function setup(rpcUrl: string) {
  const chain = await anvilChain(rpcUrl);
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
  const wallet = createWalletClient({
    chain,
    transport: http(rpcUrl),
    account: privateKeyToAccount(ANVIL_KEYS[0] as Hex),
  });
  const deployed = async (artifact: ReturnType<typeof loadArtifact>): Promise<Address> => {
    const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: [] });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (!receipt.contractAddress) throw new Error(`${artifact.contractName} not deployed`);
    return receipt.contractAddress;
  };
  const validator = await deployed(validatorArtifact());
  const account = await deployed(accountArtifact());
  const target = await deployed(targetArtifact());
  const { timestamp } = await publicClient.getBlock();
  return { rpcUrl, publicClient, wallet, validator, account, target, now: timestamp };
}

export type Setup = Awaited<ReturnType<typeof setup>>;

/** Sends `account.exec(validator, data)` (the account calling the validator) and waits for success. */
export async function asAccount(s: Setup, data: Hex): Promise<void> {
  const hash = await s.wallet.writeContract({
    address: s.account,
    abi: accountArtifact().abi,
    functionName: 'exec',
    args: [s.validator, data],
  });
  const receipt = await s.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error('account.exec reverted');
}

/** One transfer policy (RECIPIENT, lifetime 150) and one call policy (transfer ≤ 500, 800 per hour). */
export function testSpec(s: Setup): SessionSpec {
  return {
    signer: SESSION_KEY.address,
    expiresAt: s.now + 86_400n,
    feeLimit: { limitType: 1, limit: 10n ** 18n, period: 0n },
    callPolicies: [
      {
        target: s.target,
        selector: '0xa9059cbb', // transfer(address,uint256)
        maxValuePerUse: 0n,
        valueLimit: { limitType: 0, limit: 0n, period: 0n },
        constraints: [
          {
            condition: 5, // LessOrEqual
            index: 1n,
            refValue: pad(toHex(500n)),
            limit: { limitType: 2, limit: 800n, period: 3600n },
          },
        ],
      },
    ],
    transferPolicies: [
      { target: RECIPIENT, maxValuePerUse: 100n, valueLimit: { limitType: 1, limit: 150n, period: 0n } },
    ],
  };
}

/**
 * A user operation for the mock account whose signature is the validator signature
 * `abi.encode(bytes ecdsaSignature, SessionSpec spec, uint48 validAt)` (prefix already stripped).
 */
export async function userOp(s: Setup, sessionSpec: SessionSpec, callData: Hex, nonce: bigint) {
  const userOpHash = keccak256(encodePacked(['address', 'uint256', 'bytes'], [s.account, nonce, callData]));
  const ecdsa = await SESSION_KEY.sign({ hash: userOpHash });
  const signature = encodeAbiParameters(
    [{ type: 'bytes' }, sessionSpecAbi, { type: 'uint48' }],
    [ecdsa, sessionSpec as never, Number(s.now)],
  );
  const op = {
    sender: s.account,
    nonce,
    initCode: '0x' as Hex,
    callData,
    accountGasLimits: pad(toHex((200_000n << 128n) | 300_000n)),
    preVerificationGas: 100_000n,
    gasFees: pad(toHex((1n << 128n) | 1_000_000_000n)),
    paymasterAndData: '0x' as Hex,
    signature,
  };
  return { op, userOpHash };
}

/** `execute(single mode, abi.encodePacked(to, value, data))`. */
export function single(to: Address, value: bigint, data: Hex): Hex {
  return encodeFunctionData({
    abi: EXECUTE_ABI,
    functionName: 'execute',
    args: [SINGLE_MODE, encodePacked(['address', 'uint256', 'bytes'], [to, value, data])],
  });
}

/** `execute(batch mode, abi.encode(Execution[]))`. */
export function batch(calls: readonly { target: Address; value: bigint; callData: Hex }[]): Hex {
  return encodeFunctionData({
    abi: EXECUTE_ABI,
    functionName: 'execute',
    args: [BATCH_MODE, encodeAbiParameters(EXECUTIONS_ABI, [calls])],
  });
}
