import { normalizeSession, type SessionInput, type SessionSpec, sessionHash } from '@zksso/core';
import { type Address, getAddress, type Hex, isAddress, isAddressEqual, isHex, numberToHex } from 'viem';
import { type SessionSpecJson, sessionSpecFromJson, sessionSpecToJson } from '../session-record.ts';
import { InvalidParamsError, PopupError } from './errors.ts';

/** The ERC-7715 permission type that carries a whole zkSSO session. */
export const SESSION_PERMISSION_TYPE = 'zksso-session';

/**
 * A session as a dapp asks for it: `@zksso/core`'s `SessionInput` without `signer` (the provider makes
 * the session key). `expiresAt`, `feeLimit`, `transfers`, `contractCalls` with constraints and `Limit`
 * periods such as `'1 day'`.
 *
 * @example
 * ```ts
 * const session: SessionOptions = {
 *   expiresAt: new Date(Date.now() + 3_600_000),
 *   feeLimit: parseEther('0.01'),
 *   transfers: [{ target: shop, maxValuePerUse: parseEther('0.01'), valueLimit: { limit: parseEther('0.05'), period: '1 day' } }],
 * };
 * ```
 */
export type SessionOptions = Omit<SessionInput, 'signer'>;

/** The `data` of a `zksso-session` permission: the session spec as JSON, without signer and expiry. */
export type SessionPermissionData = Omit<SessionSpecJson, 'signer' | 'expiresAt'>;

/**
 * An ERC-7715 permission request as sent over the wire (`wallet_grantPermissions` params[0]).
 *
 * @example
 * ```ts
 * const request: GrantPermissionsRequest = { expiry, permissions: [sessionPermission(options)] };
 * ```
 */
export interface GrantPermissionsRequest {
  chainId?: Hex;
  address?: Address;
  expiry: number;
  signer?: { type: string; data?: unknown };
  permissions: readonly { type: string; data: unknown; policies: readonly unknown[]; required?: boolean }[];
}

/**
 * An ERC-7715 grant as the provider returns it (viem's `WalletGrantPermissionsReturnType`, plus the
 * account and chain): `permissionsContext` is the session hash.
 *
 * @example
 * ```ts
 * const { permissionsContext } = (await provider.request({ method: 'wallet_grantPermissions', params: [request] })) as GrantedPermissions;
 * ```
 */
export interface GrantedPermissions {
  chainId: Hex;
  address: Address;
  expiry: number;
  signer: { type: 'account'; data: { id: Address } };
  grantedPermissions: { type: typeof SESSION_PERMISSION_TYPE; data: SessionSpecJson; policies: [] }[];
  permissionsContext: Hex;
}

// normalizeSession needs a signer; the real one is set once the provider has made the key.
const PLACEHOLDER_SIGNER = '0x0000000000000000000000000000000000000001';

/**
 * The `zksso-session` permission for viem's `grantPermissions` (or a raw `wallet_grantPermissions`),
 * from the friendly {@link SessionOptions}; its `expiry` goes beside it.
 *
 * @throws SessionPolicyError (from `@zksso/core`) when the session is not valid.
 * @example
 * ```ts
 * const { expiry, permission } = sessionPermission({ expiresAt, feeLimit: parseEther('0.01'), transfers });
 * await provider.request({ method: 'wallet_grantPermissions', params: [{ expiry, permissions: [permission] }] });
 * ```
 */
export function sessionPermission(options: SessionOptions): {
  expiry: number;
  permission: { type: typeof SESSION_PERMISSION_TYPE; data: SessionPermissionData; policies: [] };
} {
  const spec = normalizeSession({ ...options, signer: PLACEHOLDER_SIGNER });
  const { signer: _signer, expiresAt, ...data } = sessionSpecToJson(spec);
  return { expiry: Number(expiresAt), permission: { type: SESSION_PERMISSION_TYPE, data, policies: [] } };
}

/**
 * The session spec a dapp's `wallet_grantPermissions` params describe, with the provider's session key as
 * signer; validated by `@zksso/core`'s `normalizeSession` (expiry in the future, a bounded fee limit...).
 *
 * @throws InvalidParamsError (-32602) naming what is wrong.
 * @example
 * ```ts
 * const spec = specFromGrantRequest(params[0], sessionAccount.address);
 * ```
 */
export function specFromGrantRequest(request: unknown, signer: Address): SessionSpec {
  if (typeof request !== 'object' || request === null)
    throw new InvalidParamsError('wallet_grantPermissions: params[0] must be an object');
  const { expiry, permissions, signer: requestedSigner } = request as Partial<GrantPermissionsRequest>;
  if (requestedSigner !== undefined)
    throw new InvalidParamsError(
      'wallet_grantPermissions: zkSSO makes the session key in the provider; leave `signer` out',
    );
  if (!Number.isSafeInteger(expiry))
    throw new InvalidParamsError('wallet_grantPermissions: expiry must be unix seconds');
  if (
    !Array.isArray(permissions) ||
    permissions.length !== 1 ||
    permissions[0]?.type !== SESSION_PERMISSION_TYPE
  )
    throw new InvalidParamsError(
      `wallet_grantPermissions: exactly one permission of type '${SESSION_PERMISSION_TYPE}' is supported`,
    );
  const data = permissions[0].data;
  if (typeof data !== 'object' || data === null)
    throw new InvalidParamsError('wallet_grantPermissions: the permission has no data');
  try {
    const spec = sessionSpecFromJson({ ...data, signer, expiresAt: String(expiry) });
    return normalizeSession(spec);
  } catch (error) {
    throw new InvalidParamsError(`wallet_grantPermissions: ${(error as Error).message}`);
  }
}

/**
 * What the provider sends to the popup for a session: the spec (public key address as signer) and where.
 *
 * @example
 * ```ts
 * communicator.request('wallet_grantPermissions', [grantRequestFor(spec, 31337, account)]);
 * ```
 */
export function grantRequestFor(
  spec: SessionSpec,
  chainId: number,
  account?: Address,
): GrantPermissionsRequest {
  return {
    chainId: numberToHex(chainId),
    ...(account ? { address: account } : {}),
    expiry: Number(spec.expiresAt),
    signer: { type: 'account', data: { id: spec.signer } },
    permissions: [
      { type: SESSION_PERMISSION_TYPE, data: sessionSpecToJson(spec), policies: [], required: true },
    ],
  };
}

/**
 * Checks the popup's grant against what was asked: the session key is the provider's, the chain and
 * account are the expected ones, and `permissionsContext` is the hash of the granted spec. The popup may
 * grant a narrower spec than asked (the user lowered a limit); the hash still has to match it.
 *
 * @throws PopupError (`SESSION_MISMATCH`) when anything disagrees.
 * @example
 * ```ts
 * const { spec, sessionHash, account } = verifyGrant(result, { signer, chainId, account });
 * ```
 */
export function verifyGrant(
  result: unknown,
  expected: { signer: Address; chainId: number; account?: Address },
): { spec: SessionSpec; sessionHash: Hex; account: Address; granted: GrantedPermissions } {
  const fail = (why: string): never => {
    throw new PopupError(
      'SESSION_MISMATCH',
      `The auth server's session grant does not match the request: ${why}`,
    );
  };
  if (typeof result !== 'object' || result === null) return fail('not an object');
  const r = result as Partial<GrantedPermissions>;
  if (r.chainId !== numberToHex(expected.chainId)) fail('chain');
  if (!isAddress(r.address ?? '')) fail('address');
  const account = getAddress(r.address as Address);
  if (expected.account && !isAddressEqual(account, expected.account)) fail('account');
  const permission = Array.isArray(r.grantedPermissions) ? r.grantedPermissions[0] : undefined;
  if (r.grantedPermissions?.length !== 1 || permission?.type !== SESSION_PERMISSION_TYPE) fail('permissions');
  let spec: SessionSpec;
  try {
    spec = sessionSpecFromJson(permission?.data);
  } catch {
    return fail('session spec');
  }
  if (!isAddressEqual(spec.signer, expected.signer)) fail('session key');
  if (r.expiry !== Number(spec.expiresAt)) fail('expiry');
  const hash = sessionHash(spec);
  if (!isHex(r.permissionsContext) || r.permissionsContext.toLowerCase() !== hash) fail('session hash');
  const granted: GrantedPermissions = {
    chainId: numberToHex(expected.chainId),
    address: account,
    expiry: Number(spec.expiresAt),
    signer: { type: 'account', data: { id: spec.signer } },
    grantedPermissions: [{ type: SESSION_PERMISSION_TYPE, data: sessionSpecToJson(spec), policies: [] }],
    permissionsContext: hash,
  };
  return { spec, sessionHash: hash, account, granted };
}

/**
 * The ERC-7715 view of a stored session (what `wallet_getPermissions` lists).
 *
 * @example
 * ```ts
 * grantedView(record); // { chainId: '0x7a69', address, expiry, grantedPermissions, permissionsContext }
 * ```
 */
export function grantedView(record: {
  chainId: number;
  account: Address;
  sessionHash: Hex;
  spec: SessionSpecJson;
}): GrantedPermissions {
  return {
    chainId: numberToHex(record.chainId),
    address: record.account,
    expiry: Number(record.spec.expiresAt),
    signer: { type: 'account', data: { id: record.spec.signer } },
    grantedPermissions: [{ type: SESSION_PERMISSION_TYPE, data: record.spec, policies: [] }],
    permissionsContext: record.sessionHash,
  };
}
