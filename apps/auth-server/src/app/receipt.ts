import { createZkSsoClients } from '@zksso/sdk';
import type { Hex } from 'viem';
import type { PageNetwork } from './wallet.ts';

/** A transaction's status from its receipt. @example `(await receiptStatus(network, hash)).status` */
export async function receiptStatus(
  network: PageNetwork,
  hash: Hex,
): Promise<{ status: 'success' | 'reverted' | 'pending' }> {
  const { publicClient } = await createZkSsoClients(network);
  try {
    const receipt = await publicClient.getTransactionReceipt({ hash });
    return { status: receipt.status };
  } catch {
    return { status: 'pending' };
  }
}
