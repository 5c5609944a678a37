// ERC-1271 digests of a zkSSO account (docs/contracts.md §2). The account (ZkSsoAccount.isValidSignature)
// accepts a signature only over an ERC-7739 *nested* digest, which binds the account's own EIP-712 domain, so
// a signature for one account can never be replayed on another account of the same key:
//   messages:   PersonalSign(bytes prefixed) under the account's domain;
//   typed data: TypedDataSign(Contents contents,string name,…,bytes32 salt) under the app's domain, where the
//               name…salt fields are the account's domain.
import {
  type Address,
  encodePacked,
  getTypesForEIP712Domain,
  type Hex,
  hashStruct,
  hashTypedData,
  type SignableMessage,
  size,
  stringToHex,
  type TypedData,
  type TypedDataDefinition,
  toPrefixedMessage,
  zeroHash,
} from 'viem';

/** Typed data as `eth_signTypedData_v4` carries it (any types, any primary type). @example `const data: Erc7739TypedData = { domain, types, primaryType: 'Mail', message };` */
export type Erc7739TypedData = TypedDataDefinition<TypedData, string>;

type TypeFields = Record<string, readonly { name: string; type: string }[]>;

/** EIP-712 `encodeType`: the primary type, then the struct types it references, sorted by name. */
function encodeType(primaryType: string, types: TypeFields): string {
  const found = new Set<string>();
  const visit = (name: string) => {
    const base = name.replace(/\[[0-9]*\]/g, '');
    if (found.has(base) || !types[base]) return;
    found.add(base);
    for (const field of types[base]) visit(field.type);
  };
  visit(primaryType);
  found.delete(primaryType);
  return [primaryType, ...[...found].sort()]
    .map((name) => `${name}(${(types[name] ?? []).map((f) => `${f.type} ${f.name}`).join(',')})`)
    .join('');
}

/** The EIP-712 domain of a zkSSO account (OpenZeppelin EIP712("ZkSsoAccount", "1"), no salt). */
function accountDomain(chainId: number, account: Address) {
  return { name: 'ZkSsoAccount', version: '1', chainId, verifyingContract: account } as const;
}

/**
 * The ERC-7739 nested personal-sign digest a zkSSO account checks for an ERC-1271 message signature:
 * typed data `PersonalSign(bytes prefixed)` under the account's domain.
 *
 * @example
 * ```ts
 * const digest = erc7739PersonalSignHash({ message: 'hello', chainId: 31337, account: address });
 * ```
 */
export function erc7739PersonalSignHash(p: {
  message: SignableMessage;
  chainId: number;
  account: Address;
}): Hex {
  return hashTypedData({
    domain: accountDomain(p.chainId, p.account),
    types: { PersonalSign: [{ name: 'prefixed', type: 'bytes' }] },
    primaryType: 'PersonalSign',
    message: { prefixed: toPrefixedMessage(p.message) },
  });
}

/**
 * The ERC-7739 nested typed-data digest (`TypedDataSign`) a zkSSO account checks for an ERC-1271 signature
 * of `typedData`: the app's typed data wrapped with the account's domain fields, hashed under the app's domain.
 *
 * @example
 * ```ts
 * const digest = erc7739TypedDataSignHash({ typedData: { domain, types, primaryType: 'Mail', message }, chainId, account });
 * ```
 */
export function erc7739TypedDataSignHash(p: {
  typedData: Erc7739TypedData;
  chainId: number;
  account: Address;
}): Hex {
  const { domain, types, primaryType, message } = p.typedData;
  const appTypes = Object.fromEntries(Object.entries(types).filter(([name]) => name !== 'EIP712Domain'));
  return hashTypedData({
    domain: domain ?? {},
    types: {
      ...appTypes,
      TypedDataSign: [
        { name: 'contents', type: primaryType },
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
        { name: 'salt', type: 'bytes32' },
      ],
    },
    primaryType: 'TypedDataSign',
    message: { contents: message, ...accountDomain(p.chainId, p.account), salt: zeroHash },
  } as never);
}

/**
 * Appends the ERC-7739 tail to a signature over {@link erc7739TypedDataSignHash}:
 * `signature ‖ appDomainSeparator ‖ contentsHash ‖ contentsType ‖ uint16(contentsType length)`, the layout
 * the account decodes (contentsType is the EIP-712 `encodeType` of the primary type, implicit mode).
 *
 * @example
 * ```ts
 * const erc1271 = wrapErc7739TypedDataSignature({ typedData, signature: validatorPrefixedSignature });
 * ```
 */
export function wrapErc7739TypedDataSignature(p: { typedData: Erc7739TypedData; signature: Hex }): Hex {
  const { domain, types, primaryType, message } = p.typedData;
  const appTypes = Object.fromEntries(Object.entries(types).filter(([name]) => name !== 'EIP712Domain'));
  const appSeparator = hashStruct({
    data: domain ?? {},
    types: { EIP712Domain: getTypesForEIP712Domain({ domain }) },
    primaryType: 'EIP712Domain',
  } as never);
  const contentsHash = hashStruct({ data: message, types: appTypes, primaryType } as never);
  const contentsType = stringToHex(encodeType(primaryType, appTypes as TypeFields));
  return encodePacked(
    ['bytes', 'bytes32', 'bytes32', 'bytes', 'uint16'],
    [p.signature, appSeparator, contentsHash, contentsType, size(contentsType)],
  );
}
