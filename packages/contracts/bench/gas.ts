/**
 * Gas benchmark: zkSSO OpenID account vs SimpleAccount v0.8, both through Alto on anvil (osaka), same run.
 * Writes bench/results/contracts.json. Run: `npm run bench -w @zksso/contracts` (after `npm run build`).
 *
 * The zkLogin verifier here is the test mock (a keccak commitment), so "prove" figures exclude the Groth16
 * pairing check; `groth16VerifierEstimate` adds the snarkjs verifier's cost measured in docs/FACTS
 * (about 207 k + 7.2 k per public input).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toSimpleSmartAccount } from 'permissionless/accounts';
import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { loadAccountAbstractionArtifact, packageRoot } from '../src/artifacts.ts';
import { p256Ephemeral } from '../src/ephemeral.ts';
import { startTestChain } from '../test/harness/chain.ts';
import { addJwk, openIdAccountPair } from '../test/harness/zklogin.ts';

const ISS = 0x1234n;
const MODULUS = 0xabcdn;

async function main(): Promise<void> {
  const chain = await startTestChain();
  try {
    const { deployment, walletClient, publicClient, bundlerClient } = chain;
    const sink = privateKeyToAccount(generatePrivateKey()).address;
    const sink2 = privateKeyToAccount(generatePrivateKey()).address;
    await addJwk(chain, ISS, MODULUS);

    // SimpleAccount v0.8 baseline.
    const factoryArtifact = loadAccountAbstractionArtifact('SimpleAccountFactory');
    const deployHash = await walletClient.deployContract({
      abi: factoryArtifact.abi,
      bytecode: factoryArtifact.bytecode,
      args: [deployment.entryPoint],
    });
    const simpleFactory = (await publicClient.waitForTransactionReceipt({ hash: deployHash }))
      .contractAddress as Address;
    const simple = await toSimpleSmartAccount({
      client: publicClient,
      owner: privateKeyToAccount(generatePrivateKey()),
      entryPoint: { address: deployment.entryPoint, version: '0.8' },
      factoryAddress: simpleFactory,
    });
    await chain.fund(simple.address, '1');

    type AnyAccount = Parameters<typeof bundlerClient.sendUserOperation>[0]['account'];
    const measure = async (account: AnyAccount, calls: { to: Address; value: bigint }[]) => {
      const hash = await bundlerClient.sendUserOperation({ account, calls } as Parameters<
        typeof bundlerClient.sendUserOperation
      >[0]);
      const receipt = await bundlerClient.waitForUserOperationReceipt({ hash });
      if (!receipt.success) throw new Error('user operation failed');
      return {
        actualGasUsed: Number(receipt.actualGasUsed),
        transactionGasUsed: Number(receipt.receipt.gasUsed),
      };
    };

    const one = [{ to: sink, value: 1n }];
    const two = [
      { to: sink, value: 1n },
      { to: sink2, value: 1n },
    ];
    const simpleFirst = await measure(simple, one);
    const simpleNext = await measure(simple, one);
    const simpleBatch = await measure(simple, two);

    // zkSSO OpenID account, secp256k1 ephemeral key.
    const ephemeral = privateKeyToAccount(generatePrivateKey());
    const block = await publicClient.getBlock();
    const expiry = block.timestamp + 3600n;
    const { withProof: proving, keyOnly } = await openIdAccountPair(chain, {
      issHash: ISS,
      idc: 0x77n,
      ephemeral,
      expiry,
      modulusHash: MODULUS,
    });
    await chain.fund(proving.address, '1');
    const zkFirst = await measure(proving, one);
    const zkNext = await measure(keyOnly, one);
    const zkBatch = await measure(keyOnly, two);

    // Same with a P-256 (WebCrypto) ephemeral key: RIP-7212 precompile at 0x100 on osaka.
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const p256 = await p256Ephemeral(pair);
    const { withProof: provingP, keyOnly: keyOnlyP } = await openIdAccountPair(chain, {
      issHash: ISS,
      idc: 0x78n,
      ephemeral: p256,
      expiry,
      modulusHash: MODULUS,
    });
    await chain.fund(provingP.address, '1');
    const zkFirstP256 = await measure(provingP, one);
    const zkNextP256 = await measure(keyOnlyP, one);

    const results = {
      measuredAt: new Date().toISOString(),
      setup:
        'anvil --hardfork osaka, Alto 0.0.20 --safe-mode false, EntryPoint v0.8; gas from user-operation receipts',
      note: 'zkSSO "firstWithDeploymentAndProof" uses the mock verifier: add groth16VerifierEstimate for a real proof',
      groth16VerifierEstimate: 207_000 + 7_200 * 6,
      simpleAccount: { firstWithDeployment: simpleFirst, next: simpleNext, batchOfTwo: simpleBatch },
      zkSsoOpenId: { firstWithDeploymentAndProof: zkFirst, nextEphemeralKey: zkNext, batchOfTwo: zkBatch },
      zkSsoOpenIdP256: { firstWithDeploymentAndProof: zkFirstP256, nextEphemeralKey: zkNextP256 },
    };
    const dir = join(packageRoot, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'contracts.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await chain.stop();
  }
}

await main();
