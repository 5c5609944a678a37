import type { Address } from 'viem';
import type { ZkSsoClients } from '../clients.ts';
import { moduleManagementAbi } from './abi.ts';

/**
 * Whether `module` of `type` is installed on `account` (false for an account not deployed yet).
 *
 * @example
 * ```ts
 * await isModuleInstalled(clients, account.address, MODULE_TYPE.validator, network.addresses.webAuthnValidator);
 * ```
 */
export async function isModuleInstalled(
  clients: ZkSsoClients,
  account: Address,
  type: bigint,
  module: Address,
): Promise<boolean> {
  const code = await clients.publicClient.getCode({ address: account });
  if (!code || code === '0x') return false;
  return clients.publicClient.readContract({
    address: account,
    abi: moduleManagementAbi,
    functionName: 'isModuleInstalled',
    args: [type, module, '0x'],
  });
}
