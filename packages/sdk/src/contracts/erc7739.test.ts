import { type Hex, hashTypedData, toPrefixedMessage, zeroHash } from 'viem';
import {
  hashTypedData as referenceTypedDataSignHash,
  wrapTypedDataSignature as referenceWrap,
} from 'viem/experimental/erc7739';
import { describe, expect, it } from 'vitest';
import {
  erc7739PersonalSignHash,
  erc7739TypedDataSignHash,
  wrapErc7739TypedDataSignature,
} from './erc7739.ts';

// Differential tests against viem's ERC-7739 reference helpers (viem/experimental/erc7739), with the
// account's domain (OpenZeppelin EIP712("ZkSsoAccount", "1"), salt zero) as the verifier domain.

const account = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const chainId = 31337;
const verifierDomain = {
  name: 'ZkSsoAccount',
  version: '1',
  chainId,
  verifyingContract: account,
  salt: zeroHash,
} as const;

const mail = {
  domain: {
    name: 'Ether Mail',
    version: '1',
    chainId: 1,
    verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC',
  },
  types: {
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallet', type: 'address' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person[]' },
      { name: 'contents', type: 'string' },
      { name: 'attachment', type: 'Attachment' },
    ],
    Attachment: [{ name: 'digest', type: 'bytes32' }],
  },
  primaryType: 'Mail',
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: [{ name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' }],
    contents: 'Hello, Bob!',
    attachment: { digest: `0x${'ab'.repeat(32)}` },
  },
} as const;

describe('ERC-7739 digests of a zkSSO account', () => {
  it('TypedDataSign digest equals the reference with the account as verifier', () => {
    expect(erc7739TypedDataSignHash({ typedData: mail, chainId, account })).toBe(
      referenceTypedDataSignHash({ ...mail, verifierDomain }),
    );
  });

  it('ignores an EIP712Domain entry in types (eth_signTypedData_v4 payloads carry one)', () => {
    const withDomainType = {
      ...mail,
      types: {
        ...mail.types,
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
      },
    };
    expect(erc7739TypedDataSignHash({ typedData: withDomainType, chainId, account })).toBe(
      erc7739TypedDataSignHash({ typedData: mail, chainId, account }),
    );
    const signature: Hex = `0x${'11'.repeat(20)}${'22'.repeat(65)}`;
    expect(wrapErc7739TypedDataSignature({ typedData: withDomainType, signature })).toBe(
      referenceWrap({ ...mail, signature }),
    );
  });

  it('the signature tail equals the reference (appSeparator, contentsHash, encodeType, length)', () => {
    const signature: Hex = `0x${'11'.repeat(20)}${'22'.repeat(65)}`;
    const wrapped = wrapErc7739TypedDataSignature({ typedData: mail, signature });
    expect(wrapped).toBe(referenceWrap({ ...mail, signature }));
    // encodeType puts the referenced types after the primary type, sorted by name.
    const tail = Buffer.from(wrapped.slice(2 + (20 + 65 + 64) * 2, -4), 'hex').toString();
    expect(tail).toBe(
      'Mail(Person from,Person[] to,string contents,Attachment attachment)Attachment(bytes32 digest)Person(string name,address wallet)',
    );
  });

  it('the digest depends on the account, the chain and every field of the contents', () => {
    const base = erc7739TypedDataSignHash({ typedData: mail, chainId, account });
    expect(erc7739TypedDataSignHash({ typedData: mail, chainId: 1, account })).not.toBe(base);
    expect(
      erc7739TypedDataSignHash({
        typedData: mail,
        chainId,
        account: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
      }),
    ).not.toBe(base);
    const changed = { ...mail, message: { ...mail.message, contents: 'Hello, Bob?' } };
    expect(erc7739TypedDataSignHash({ typedData: changed, chainId, account })).not.toBe(base);
    // It is not the app's plain EIP-712 digest (which another account of the same key would also accept).
    expect(base).not.toBe(hashTypedData(mail));
  });

  it('PersonalSign digest is typed data PersonalSign(bytes prefixed) under the account domain', () => {
    expect(erc7739PersonalSignHash({ message: 'hello', chainId, account })).toBe(
      hashTypedData({
        domain: { name: 'ZkSsoAccount', version: '1', chainId, verifyingContract: account },
        types: { PersonalSign: [{ name: 'prefixed', type: 'bytes' }] },
        primaryType: 'PersonalSign',
        message: { prefixed: toPrefixedMessage('hello') },
      }),
    );
  });
});
