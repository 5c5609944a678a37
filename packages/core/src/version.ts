/**
 * The protocol version this library implements (protocol §12.1). Services put it in their `/health`
 * answers and verifying keys carry it as `zksso.protocol`; a successor will be `zksso/v2`.
 *
 * @example
 * ```ts
 * const health = { status: 'ok', version: PROTOCOL_VERSION }; // { status: 'ok', version: 'zksso/v1' }
 * ```
 */
export const PROTOCOL_VERSION = 'zksso/v1';

/**
 * The bytes32 CREATE2 salt every zksso/v1 contract is deployed with (protocol §12.1): the ASCII bytes of
 * {@link PROTOCOL_VERSION}, right-padded with zeros. A v2 deployment uses `"zksso/v2"` and so lands at new
 * addresses beside v1.
 *
 * @example
 * ```ts
 * PROTOCOL_DEPLOYMENT_SALT; // '0x7a6b73736f2f7631000000000000000000000000000000000000000000000000'
 * ```
 */
export const PROTOCOL_DEPLOYMENT_SALT =
  '0x7a6b73736f2f7631000000000000000000000000000000000000000000000000' as const;
