import { type Address, type Hex, http } from 'viem';
import { createBundlerClient } from 'viem/account-abstraction';

/**
 * How a zkLogin operation was signed: `proof` (mode 0x01: the Groth16 proof was checked on chain and the
 * ephemeral key registered), `key` (mode 0x02: the registered key alone), or `unknown` (not a zkLogin
 * signature, or the bundler does not say).
 *
 * @example
 * ```ts
 * const mode: SignatureMode = 'key';
 * ```
 */
export type SignatureMode = 'proof' | 'key' | 'unknown';

/**
 * Reads the signature mode from a user operation's signature (protocol §10: `validator (20 bytes) ‖ mode ‖ …`).
 *
 * @example
 * ```ts
 * signatureModeOf(`${validator}02…`, validator); // 'key'
 * ```
 */
export function signatureModeOf(signature: Hex, zkLoginValidator: Address): SignatureMode {
  const hex = signature.toLowerCase();
  if (hex.length < 2 + 42 || hex.slice(0, 42) !== zkLoginValidator.toLowerCase()) return 'unknown';
  const mode = hex.slice(42, 44);
  return mode === '01' ? 'proof' : mode === '02' ? 'key' : 'unknown';
}

/**
 * Asks the bundler for a sent operation (`eth_getUserOperationByHash`) and returns its signature mode;
 * `unknown` when the bundler does not answer it.
 *
 * @example
 * ```ts
 * await signatureModeFromBundler(network.bundlerUrl, userOpHash, network.addresses.zkLoginValidator); // 'proof'
 * ```
 */
export async function signatureModeFromBundler(
  bundlerUrl: string,
  userOpHash: Hex,
  zkLoginValidator: Address,
): Promise<SignatureMode> {
  try {
    const bundler = createBundlerClient({ transport: http(bundlerUrl, { timeout: 10_000, retryCount: 0 }) });
    const { userOperation } = await bundler.getUserOperation({ hash: userOpHash });
    return signatureModeOf(userOperation.signature, zkLoginValidator);
  } catch {
    return 'unknown';
  }
}
