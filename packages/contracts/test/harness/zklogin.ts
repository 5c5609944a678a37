import { type EphemeralSigner, ephemeralKeyId } from '@zksso/core';
import { loadArtifact } from '@zksso/devstack/deploy';
import { toZkSsoOpenIdAccount, type ZkLoginProofParts, type ZkSsoOpenIdAccountParameters } from '@zksso/sdk';
import { encodeAbiParameters, type Hex, keccak256, type LocalAccount } from 'viem';
import { TEST_TIER, type TestChain } from './chain.ts';

// zkLogin helpers shared by the OpenID account tests and the gas bench: the mock proof the test verifier accepts,
// JWK registration, and the account parameters every OpenID account of a test chain shares.

/** What a mock proof commits to (protocol §8 public inputs). */
export interface MockProofInputs {
  issHash: bigint;
  idc: bigint;
  keyId: Hex;
  expiry: bigint;
  modulusHash: bigint;
}

/**
 * A proof the test-only MockGroth16Verifier accepts: a[0] commits to the six public inputs (protocol §8).
 *
 * @example
 * const proof = mockZkLoginProof({ issHash, idc, keyId, expiry, modulusHash });
 */
export function mockZkLoginProof({
  issHash,
  idc,
  keyId,
  expiry,
  modulusHash,
}: MockProofInputs): ZkLoginProofParts {
  const id = BigInt(keyId);
  const pub = [issHash, idc, id >> 128n, id & ((1n << 128n) - 1n), expiry, modulusHash] as const;
  const commitment = BigInt(keccak256(encodeAbiParameters([{ type: 'uint256[6]' }], [pub])));
  return {
    tier: TEST_TIER,
    modulusHash,
    expiry,
    proof: {
      a: [commitment, 0n],
      b: [
        [0n, 0n],
        [0n, 0n],
      ],
      c: [0n, 0n],
    },
  };
}

/**
 * The key id an ephemeral key is registered under: secp256k1 address for a viem local account.
 *
 * @example
 * const keyId = keyIdOf(privateKeyToAccount(generatePrivateKey()));
 */
export function keyIdOf(ephemeral: LocalAccount | EphemeralSigner): Hex {
  return ephemeralKeyId(
    typeof ephemeral.publicKey === 'object'
      ? ephemeral.publicKey
      : { type: 'secp256k1', address: ephemeral.address },
  );
}

/**
 * Registers the JWK `(issHash, modulusHash)` in the chain's JwkRegistry (as the deployer) and waits for it.
 *
 * @example
 * await addJwk(chain, 0x1234n, 0xabcdn);
 */
export async function addJwk(
  chain: Pick<TestChain, 'deployment' | 'walletClient' | 'publicClient'>,
  issHash: bigint,
  modulusHash: bigint,
): Promise<void> {
  const hash = await chain.walletClient.writeContract({
    address: chain.deployment.jwkRegistry,
    abi: loadArtifact('JwkRegistry').abi,
    functionName: 'addKey',
    args: [issHash, modulusHash],
  });
  await chain.publicClient.waitForTransactionReceipt({ hash });
}

/**
 * The {@link toZkSsoOpenIdAccount} parameters of an account on the test chain (no proof: mode 0x02).
 *
 * @example
 * const keyOnly = await toZkSsoOpenIdAccount(openIdAccountParameters(chain, { issHash, idc, ephemeral }));
 */
export function openIdAccountParameters(
  chain: Pick<TestChain, 'deployment' | 'publicClient'>,
  account: { issHash: bigint; idc: bigint; ephemeral: LocalAccount | EphemeralSigner },
): ZkSsoOpenIdAccountParameters {
  return {
    client: chain.publicClient,
    entryPoint: chain.deployment.entryPoint,
    factory: chain.deployment.accountFactory,
    zkLoginValidator: chain.deployment.zkLoginValidator,
    ...account,
  };
}

/**
 * One OpenID account seen two ways: `withProof` (mode 0x01, carries a mock proof of the key until `expiry`) and
 * `keyOnly` (mode 0x02). Neither is funded.
 *
 * @example
 * const { withProof, keyOnly, keyId } = await openIdAccountPair(chain, { issHash, idc, ephemeral, expiry, modulusHash });
 */
export async function openIdAccountPair(
  chain: Pick<TestChain, 'deployment' | 'publicClient'>,
  options: {
    issHash: bigint;
    idc: bigint;
    ephemeral: LocalAccount | EphemeralSigner;
    expiry: bigint;
    modulusHash: bigint;
  },
) {
  const { issHash, idc, ephemeral, expiry, modulusHash } = options;
  const keyId = keyIdOf(ephemeral);
  const common = openIdAccountParameters(chain, { issHash, idc, ephemeral });
  const withProof = await toZkSsoOpenIdAccount({
    ...common,
    proof: mockZkLoginProof({ issHash, idc, keyId, expiry, modulusHash }),
  });
  const keyOnly = await toZkSsoOpenIdAccount(common);
  return { keyId, withProof, keyOnly };
}
