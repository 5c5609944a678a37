import type { Client } from 'viem';
import { call } from 'viem/actions';

/** RIP-7212 / EIP-7951 P-256 verification precompile address. */
export const P256_PRECOMPILE = '0x0000000000000000000000000000000000000100';

/** hash ‖ r ‖ s ‖ x ‖ y of a valid P-256 signature: the precompile answers 1 for it, a chain without it nothing. */
const PROBE_INPUT =
  '0x4e415d8d87a7443e029d0ec9238261470b8040988a32fb27c89ce199b0de52c3bd4c2e35ff2c40b8d29082c8c8682da6e1682ec3c5186dd9e42de71dabb1958e2ea41eb6a5d3fdc80b5a85f169d6eaf9db4b6a0a362a5e951d539306c05cc78d563572b4c8318bab51b671592b6caf5fc692b94e0bfe06c1ace9374067cb57f050f8775f25b6373ba3346a9679636a4ce1edbe8d92b0eb4d67ec977cd8211095';

/**
 * Verification gas of a passkey user operation (WebAuthnValidator, account overhead included): with the P-256
 * precompile (OZ `P256.verify` about 32 k) and with OpenZeppelin's Solidity fallback (about 271 k), measured
 * through Alto with margin. Deployment adds `VERIFICATION_GAS.deploy`.
 */
export const PASSKEY_VERIFICATION_GAS = { precompile: 200_000n, fallback: 500_000n } as const;

const probed = new WeakMap<Client, Promise<boolean>>();

/**
 * Whether the chain has the P-256 precompile at 0x100 (osaka and later; RIP-7212 rollups), asked once per
 * client. The contracts fall back to Solidity verification without it; the SDK only needs to know for gas.
 *
 * @example
 * ```ts
 * const fast = await hasP256Precompile(publicClient); // false on anvil --hardfork prague
 * ```
 */
export function hasP256Precompile(client: Client): Promise<boolean> {
  let answer = probed.get(client);
  if (!answer) {
    answer = call(client, { to: P256_PRECOMPILE, data: PROBE_INPUT })
      .then(({ data }) => data !== undefined && BigInt(data) === 1n)
      .catch(() => false);
    probed.set(client, answer);
  }
  return answer;
}
