import type { Address, Hex } from 'viem';

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
    const response = await fetch(bundlerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'eth_getUserOperationByHash',
        params: [userOpHash],
      }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { result?: { userOperation?: { signature?: Hex } } | null };
    const signature = body.result?.userOperation?.signature;
    return signature ? signatureModeOf(signature, zkLoginValidator) : 'unknown';
  } catch {
    return 'unknown';
  }
}
