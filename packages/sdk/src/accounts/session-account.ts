import type { SessionSpec } from '@zksso/core';
import type { Hex } from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import { privateKeyToAccount } from 'viem/accounts';
import type { ZkSsoClients } from '../clients.ts';
import { encodeSessionSignature, toZkSsoSmartAccount, withValidator } from '../contracts/index.ts';
import type { ZkSsoNetwork } from '../network.ts';
import type { SessionRecord } from '../session-record.ts';

/**
 * A viem SmartAccount that signs the session's account's user operations with the session key
 * (SessionKeyValidator, protocol §10.5). `validAt` is the wall-clock time at signing, so each allowance
 * spends in the current period (docs/contracts.md §7 "SDK notes").
 *
 * @example
 * ```ts
 * const account = await toSessionSmartAccount({ network, clients, record, spec });
 * await clients.bundlerClient.sendUserOperation({ account, calls });
 * ```
 */
export async function toSessionSmartAccount(p: {
  network: ZkSsoNetwork;
  clients: ZkSsoClients;
  record: SessionRecord;
  spec: SessionSpec;
}): Promise<SmartAccount> {
  const key = privateKeyToAccount(p.record.sessionPrivateKey);
  const validator = p.network.addresses.sessionKeyValidator;
  return toZkSsoSmartAccount({
    client: p.clients.publicClient,
    entryPoint: p.network.addresses.entryPoint,
    address: p.record.account,
    // The stub (default: the same signature over the zero hash) has the real length and recovery cost; the
    // validator returns 1 for it without reverting.
    sign: async (hash: Hex) =>
      withValidator(
        validator,
        encodeSessionSignature(await key.sign({ hash }), p.spec, BigInt(Math.floor(Date.now() / 1000))),
      ),
  });
}
