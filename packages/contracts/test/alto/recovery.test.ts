import { KEY_TYPE_SECP256K1 } from '@zksso/core';
import { loadArtifact } from '@zksso/devstack/deploy';
import {
  encodeProveSignature,
  encodeWebAuthnInstallData,
  encodeWebAuthnSignature,
  type SoftwarePasskey,
  withValidator,
} from '@zksso/sdk';
import { type Address, encodeAbiParameters, encodeErrorResult, encodeFunctionData, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zkSsoAccountAbi, zkSsoAccountFactoryAbi } from '../../src/index.ts';
import { startTestChain, type TestChain } from '../harness/chain.ts';
import {
  createPasskeyAccountArgs,
  passkeyAccountAddress,
  TEST_ORIGIN,
  TEST_RP_ID,
  testPasskey,
} from '../harness/passkey.ts';
import { addJwk, keyIdOf, mockZkLoginProof, openIdAccountPair } from '../harness/zklogin.ts';
import { toValidatorSignedAccount } from './validator-account.ts';

// Recovery both ways through Alto on anvil (modelled on test/forge/RecoveryZkLogin.t.sol), every account action
// a real user operation: the owner's credential installs RecoveryModule and registers a dormant recovery
// credential; anyone initiates; before the delay the new credential is refused (its validator is not installed);
// after `evm_increaseTime` past the delay anyone executes, and the new credential then operates the account.
// (Moving the chain ahead of Alto's wall clock is fine here: these validators return no validAfter.)

const ISS_HASH = 0x7ec0n;
const MODULUS_HASH = 0x7ec1n;
const DELAY = 86_400n; // RecoveryModule.MIN_DELAY
const MODULE_TYPE_VALIDATOR = 1n;
const MODULE_TYPE_EXECUTOR = 2n;
const GAS = { callGasLimit: 300_000n, verificationGasLimit: 2_000_000n, preVerificationGas: 200_000n };

const recoveryAbi = loadArtifact('RecoveryModule').abi;

type Account = Awaited<ReturnType<typeof toValidatorSignedAccount>>;
type Call = { to: Address; value?: bigint; data?: Hex };

describe('recovery through Alto', () => {
  let chain: TestChain;

  beforeAll(async () => {
    chain = await startTestChain();
    await addJwk(chain, ISS_HASH, MODULUS_HASH);
  });

  afterAll(async () => {
    await chain?.stop();
  });

  async function send(account: Account, calls: Call[]) {
    const hash = await chain.bundlerClient.sendUserOperation({ account, calls, ...GAS });
    return chain.bundlerClient.waitForUserOperationReceipt({ hash });
  }

  const passkeySigner = (passkey: SoftwarePasskey) => async (hash: Hex) =>
    withValidator(chain.deployment.webAuthnValidator, encodeWebAuthnSignature(passkey.sign(hash)));

  /** Signs with a fresh secp256k1 ephemeral key and a mock proof of (ISS_HASH, idc) bound to it (mode 0x01). */
  async function openIdSigner(idc: bigint) {
    const ephemeral = privateKeyToAccount(generatePrivateKey());
    const expiry = (await chain.publicClient.getBlock()).timestamp + 30n * 86_400n;
    const proof = mockZkLoginProof({
      issHash: ISS_HASH,
      idc,
      keyId: keyIdOf(ephemeral),
      expiry,
      modulusHash: MODULUS_HASH,
    });
    return async (hash: Hex) =>
      withValidator(
        chain.deployment.zkLoginValidator,
        encodeProveSignature({
          ...proof,
          keyType: KEY_TYPE_SECP256K1,
          keyBytes: ephemeral.address,
          signature: await ephemeral.sign({ hash }),
        }),
      );
  }

  /**
   * The shared flow: `owner` registers `(validator, installData)` as its recovery credential, then `recoverer`
   * (the same account address, signed through `validator`) takes over after the delay.
   */
  async function recover(owner: Account, recoverer: Account, validator: Address, installData: Hex) {
    const { deployment, walletClient, publicClient } = chain;
    const isInstalled = () =>
      publicClient.readContract({
        address: owner.address,
        abi: zkSsoAccountAbi,
        functionName: 'isModuleInstalled',
        args: [MODULE_TYPE_VALIDATOR, validator, '0x'],
      });
    // The owner's first operation deploys the account and sets recovery up.
    const setup = await send(owner, [
      {
        to: owner.address,
        data: encodeFunctionData({
          abi: zkSsoAccountAbi,
          functionName: 'installModule',
          args: [
            MODULE_TYPE_EXECUTOR,
            deployment.recoveryModule,
            encodeAbiParameters([{ type: 'uint48' }], [Number(DELAY)]),
          ],
        }),
      },
      {
        to: deployment.recoveryModule,
        data: encodeFunctionData({
          abi: recoveryAbi,
          functionName: 'addRecoveryCredential',
          args: [validator, installData],
        }),
      },
    ]);
    expect(setup.success).toBe(true);
    expect(await isInstalled()).toBe(false);

    // Anyone (here the deployer) starts the recovery.
    const initiated = await walletClient.writeContract({
      address: deployment.recoveryModule,
      abi: recoveryAbi,
      functionName: 'initiateRecovery',
      args: [owner.address, validator, installData],
    });
    await publicClient.waitForTransactionReceipt({ hash: initiated });

    // Before the delay the new credential's validator is not installed: AA23 InvalidValidator(validator).
    const sink = privateKeyToAccount(generatePrivateKey()).address;
    const early = await send(recoverer, [{ to: sink, value: 1n }]).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(Error);
    expect((early as Error).message).toMatch(/AA23 reverted/);
    expect((early as Error).message.toLowerCase()).toContain(
      encodeErrorResult({ abi: zkSsoAccountAbi, errorName: 'InvalidValidator', args: [validator] })
        .slice(2)
        .toLowerCase(),
    );
    const tooSoon = await publicClient
      .simulateContract({
        address: deployment.recoveryModule,
        abi: recoveryAbi,
        functionName: 'executeRecovery',
        args: [owner.address, validator, installData],
      })
      .catch((e: unknown) => e);
    expect((tooSoon as Error).message).toMatch(/RecoveryNotReady/);

    await chain.increaseTime(Number(DELAY));
    const executed = await walletClient.writeContract({
      address: deployment.recoveryModule,
      abi: recoveryAbi,
      functionName: 'executeRecovery',
      args: [owner.address, validator, installData],
    });
    expect((await publicClient.waitForTransactionReceipt({ hash: executed })).status).toBe('success');
    expect(await isInstalled()).toBe(true);

    const receipt = await send(recoverer, [{ to: sink, value: 1234n }]);
    expect(receipt.success).toBe(true);
    expect(await publicClient.getBalance({ address: sink })).toBe(1234n);
  }

  it('an OpenID identity recovers a passkey account', async () => {
    const passkey = testPasskey();
    const address = await passkeyAccountAddress(chain, passkey);
    const owner = await toValidatorSignedAccount({
      client: chain.publicClient,
      entryPoint: chain.deployment.entryPoint,
      address,
      factory: {
        factory: chain.deployment.accountFactory,
        factoryData: encodeFunctionData({
          abi: zkSsoAccountFactoryAbi,
          functionName: 'createPasskeyAccount',
          args: createPasskeyAccountArgs(passkey),
        }),
      },
      sign: passkeySigner(passkey),
    });
    await chain.fund(address, '1');
    const idc = 0x7ec2n;
    const recoverer = await toValidatorSignedAccount({
      client: chain.publicClient,
      entryPoint: chain.deployment.entryPoint,
      address,
      sign: await openIdSigner(idc),
    });
    // The identity is the ZkLoginValidator install data: abi.encode(issHash, idc).
    const installData = encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], [ISS_HASH, idc]);
    await recover(owner, recoverer, chain.deployment.zkLoginValidator, installData);
  });

  it('a passkey recovers an OpenID account', async () => {
    const idc = 0x7ec3n;
    const ephemeral = privateKeyToAccount(generatePrivateKey());
    const { withProof } = await openIdAccountPair(chain, {
      issHash: ISS_HASH,
      idc,
      ephemeral,
      expiry: (await chain.publicClient.getBlock()).timestamp + 30n * 86_400n,
      modulusHash: MODULUS_HASH,
    });
    await chain.fund(withProof.address, '1');
    const passkey = testPasskey();
    const recoverer = await toValidatorSignedAccount({
      client: chain.publicClient,
      entryPoint: chain.deployment.entryPoint,
      address: withProof.address,
      sign: passkeySigner(passkey),
    });
    const installData = encodeWebAuthnInstallData({
      credentialId: passkey.credentialId,
      publicKey: passkey.publicKey,
      origin: TEST_ORIGIN,
      rpId: TEST_RP_ID,
    });
    await recover(
      withProof as unknown as Account,
      recoverer,
      chain.deployment.webAuthnValidator,
      installData,
    );
  });
});
