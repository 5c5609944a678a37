import { type Abi, type Address, type Hex, isHex, parseAbi } from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import type { Call } from './actions/sendCalls.ts';
import type { ZkSsoClients } from './clients.ts';
import { CallWouldRevertError, insufficientBalance, ServiceError } from './errors.ts';
import { decodeRevertReason } from './revert-reason.ts';

// "Refuse before the user pays": the calls of a user operation are run against the current state before it
// goes to the bundler. The bundler only simulates validation; a call that reverts in execution would still
// be included, and the account would pay the gas for nothing.

const depositAbi = parseAbi(['function balanceOf(address account) view returns (uint256)']);

/** The gas limits of an operation: with the fee per gas they bound what the EntryPoint takes up front. */
export interface OperationGas {
  callGasLimit: bigint;
  verificationGasLimit: bigint;
  preVerificationGas: bigint;
}

/**
 * The most an operation can cost in fees: every gas limit at the maximum fee per gas (the EntryPoint's
 * required prefund without a paymaster).
 *
 * @example
 * ```ts
 * maxOperationFee({ callGasLimit: 100_000n, verificationGasLimit: 250_000n, preVerificationGas: 150_000n }, 2n * 10n ** 9n); // 10n ** 15n
 * ```
 */
export function maxOperationFee(gas: OperationGas, maxFeePerGas: bigint): bigint {
  return (gas.callGasLimit + gas.verificationGasLimit + gas.preVerificationGas) * maxFeePerGas;
}

/**
 * Checks, before sending, that the account can pay and that its calls would not revert:
 * 1. its balance covers the calls' value and the fees beyond its EntryPoint deposit (a plain transfer of more
 *    than the balance does not "revert" in a node's simulation: it is refused as insufficient funds);
 * 2. its execution (`execute` from the EntryPoint, as in a real operation; for an account not deployed yet,
 *    its deployment by the factory first, with `eth_simulateV1`) does not revert. In a batch, the first call
 *    that reverts is found by running the batch's prefixes.
 *
 * @throws CallWouldRevertError (`kind`, `reason`, `callIndex`), ServiceError when the node does not answer.
 * @example
 * ```ts
 * await assertCallsWouldSucceed(clients, { account, calls, gas, maxFeePerGas });
 * ```
 */
export async function assertCallsWouldSucceed(
  clients: ZkSsoClients,
  p: {
    account: SmartAccount;
    entryPoint: Address;
    calls: readonly Call[];
    gas: OperationGas;
    maxFeePerGas: bigint;
    /** More error ABIs to decode reverts with (the app's contracts). */
    errorAbi?: Abi;
  },
): Promise<void> {
  const { publicClient } = clients;
  const address = await p.account.getAddress();
  const [balance, deposit, deployed] = await Promise.all([
    publicClient.getBalance({ address }),
    publicClient
      .readContract({ address: p.entryPoint, abi: depositAbi, functionName: 'balanceOf', args: [address] })
      .catch(() => 0n),
    p.account.isDeployed(),
  ]).catch((cause: unknown) => {
    throw new ServiceError('rpc', 0, undefined, 'the RPC node does not answer', { cause });
  });

  const maxFee = maxOperationFee(p.gas, p.maxFeePerGas);
  const feeFromBalance = maxFee > deposit ? maxFee - deposit : 0n;
  let sent = 0n;
  for (const [callIndex, call] of p.calls.entries()) {
    sent += call.value ?? 0n;
    if (sent + feeFromBalance > balance) {
      const value = p.calls.reduce((sum, c) => sum + (c.value ?? 0n), 0n);
      throw insufficientBalance({ balance, value, maxFee: feeFromBalance, callIndex, to: call.to });
    }
  }
  if (p.calls.length > 0 && sent === 0n && feeFromBalance > balance) {
    throw insufficientBalance({ balance, value: 0n, maxFee: feeFromBalance, callIndex: 0 });
  }

  const run = deployed
    ? (calls: readonly Call[]) => executeFromEntryPoint(clients, p.account, p.entryPoint, calls)
    : await undeployedRunner(clients, p.account, p.entryPoint);
  if (!run) return;
  let failure = await run(p.calls);
  if (failure === undefined) return;
  let callIndex = 0;
  if (p.calls.length > 1) {
    // The account bubbles the callee's revert data without saying which call: the first failing prefix does.
    for (let end = 1; end <= p.calls.length; end++) {
      const prefixFailure = await run(p.calls.slice(0, end));
      if (prefixFailure !== undefined) {
        callIndex = end - 1;
        failure = prefixFailure;
        break;
      }
    }
  }
  const call = p.calls[callIndex] as Call;
  const decoded = decodeRevertReason(failure, p.errorAbi);
  throw new CallWouldRevertError({
    kind: decoded.kind,
    reason: decoded.reason,
    callIndex,
    to: call.to,
    ...(decoded.errorName ? { errorName: decoded.errorName } : {}),
    ...(decoded.args ? { args: decoded.args } : {}),
    data: decoded.data,
  });
}

/** Runs calls, returning the revert data when they revert (`'0x'` when without data), else undefined. */
type Runner = (calls: readonly Call[]) => Promise<Hex | undefined>;

/** `eth_call` of the account's `execute` from the EntryPoint (the only caller `execute` accepts). */
async function executeFromEntryPoint(
  clients: ZkSsoClients,
  account: SmartAccount,
  entryPoint: Address,
  calls: readonly Call[],
): Promise<Hex | undefined> {
  const data = await account.encodeCalls(calls.map((c) => ({ to: c.to, value: c.value, data: c.data })));
  try {
    await clients.publicClient.request({
      method: 'eth_call',
      params: [{ from: entryPoint, to: await account.getAddress(), data }, 'latest'],
    });
    return undefined;
  } catch (error) {
    return revertDataOrThrow(error);
  }
}

/**
 * For an account not deployed yet: its factory call, then `execute` from the EntryPoint, in one
 * `eth_simulateV1` block (state carries from one call to the next). A node without `eth_simulateV1`
 * gets each call run alone from the account's address (calls to the account itself and after them skipped:
 * they need its code). Undefined when there is nothing to run (no factory: the bundler refuses it anyway).
 */
async function undeployedRunner(
  clients: ZkSsoClients,
  account: SmartAccount,
  entryPoint: Address,
): Promise<Runner | undefined> {
  const { factory, factoryData } = await account.getFactoryArgs();
  if (!factory || !factoryData) return undefined;
  const address = await account.getAddress();
  let simulateV1 = true;
  return async (calls) => {
    if (simulateV1) {
      const data = await account.encodeCalls(calls.map((c) => ({ to: c.to, value: c.value, data: c.data })));
      try {
        const [block] = await clients.publicClient.simulateBlocks({
          blocks: [
            {
              calls: [
                { account: entryPoint, to: factory, data: factoryData },
                { account: entryPoint, to: address, data },
              ],
            },
          ],
          validation: false,
        });
        const [deploy, execution] = block?.calls ?? [];
        if (deploy?.status === 'failure') return undefined; // the bundler reports a failing deployment (AA13)
        return execution?.status === 'failure' ? (execution.data ?? '0x') : undefined;
      } catch (error) {
        if (!isUnsupportedMethod(error)) throw rpcError(error);
        simulateV1 = false;
      }
    }
    for (const call of calls) {
      if (call.to.toLowerCase() === address.toLowerCase()) return undefined;
      try {
        await clients.publicClient.request({
          method: 'eth_call',
          params: [
            {
              from: address,
              to: call.to,
              ...(call.value ? { value: `0x${call.value.toString(16)}` as Hex } : {}),
              ...(call.data ? { data: call.data } : {}),
            },
            'latest',
          ],
        });
      } catch (error) {
        return revertDataOrThrow(error);
      }
    }
    return undefined;
  };
}

/** The revert data of a node's "execution reverted" answer; any other failure is the node's. */
function revertDataOrThrow(error: unknown): Hex {
  let current: unknown = error;
  let reverted = false;
  for (let depth = 0; current && depth < 10; depth++) {
    const e = current as { code?: unknown; message?: unknown; data?: unknown; cause?: unknown };
    if (e.code === 3 || (typeof e.message === 'string' && /revert/i.test(e.message))) reverted = true;
    if (typeof e.data === 'string' && isHex(e.data)) return e.data;
    const nested = (e.data as { data?: unknown } | undefined)?.data;
    if (typeof nested === 'string' && isHex(nested)) return nested;
    current = e.cause;
  }
  if (reverted) return '0x';
  throw rpcError(error);
}

function rpcError(cause: unknown): ServiceError {
  return new ServiceError('rpc', 0, undefined, 'the RPC node could not simulate the calls', { cause });
}

/** A node that does not offer a method answers -32601 (or says so in words). */
function isUnsupportedMethod(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 10; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (e.code === -32601) return true;
    if (
      typeof e.message === 'string' &&
      /not (supported|found|available)|does not exist|unknown method/i.test(e.message)
    )
      return true;
    current = e.cause;
  }
  return false;
}
