/**
 * The public inputs of the zkLogin circuit, in protocol §8's order. The tier's main component exposes
 * them as public inputs under these signal names.
 */
export const ZKLOGIN_PUBLIC_INPUTS = ['issHash', 'idc', 'ephHi', 'ephLo', 'expiry', 'modulusHash'] as const;

/**
 * The circom main file of a tier: `ZkLogin(maxSignedBytes)` from `zklogin.circom` with §8's public inputs.
 *
 * @example
 * ```ts
 * zkLoginMainSource(1024);
 * // pragma circom 2.2.3; include "zklogin.circom"; component main {public [issHash, ...]} = ZkLogin(1024);
 * ```
 */
export function zkLoginMainSource(tier: number): string {
  return [
    'pragma circom 2.2.3;',
    '',
    'include "zklogin.circom";',
    '',
    `component main {public [${ZKLOGIN_PUBLIC_INPUTS.join(', ')}]} = ZkLogin(${tier});`,
    '',
  ].join('\n');
}
