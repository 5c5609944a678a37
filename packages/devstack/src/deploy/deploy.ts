import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PROTOCOL_DEPLOYMENT_SALT, ZkSsoError } from '@zksso/core';
import {
  type Abi,
  type Address,
  concat,
  createPublicClient,
  createWalletClient,
  encodeDeployData,
  getContractAddress,
  type Hex,
  http,
  type PublicClient,
  zeroAddress,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  ArtifactNotFoundError,
  type ContractArtifact,
  loadAccountAbstractionArtifact,
  loadArtifact,
} from './artifacts.ts';

/** The deterministic CREATE2 deployer (Arachnid's), at the same address on every chain. @example `await publicClient.getCode({ address: CREATE2_DEPLOYER })` */
export const CREATE2_DEPLOYER: Address = '0x4e59b44847b379578588920cA78FbF26c0B4956C';
/** Runtime code of the CREATE2 deployer, installed with `anvil_setCode` where a dev chain lacks it. @example `await testClient.setCode({ address: CREATE2_DEPLOYER, bytecode: CREATE2_DEPLOYER_RUNTIME })` */
export const CREATE2_DEPLOYER_RUNTIME: Hex =
  '0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3';
/** ERC-4337 EntryPoint v0.8. @example `toSmartAccount({ entryPoint: { address: ENTRY_POINT_V08, abi: entryPoint08Abi, version: '0.8' }, ... })` */
export const ENTRY_POINT_V08: Address = '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108';
/** The salt the canonical EntryPoint v0.8 was deployed with through {@link CREATE2_DEPLOYER}. @example `getContractAddress({ opcode: 'CREATE2', from: CREATE2_DEPLOYER, salt: ENTRY_POINT_V08_SALT, bytecode })` */
export const ENTRY_POINT_V08_SALT: Hex = '0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9';
/** The salt zkSSO deploys its own contracts with. @example `getContractAddress({ opcode: 'CREATE2', from: CREATE2_DEPLOYER, salt: ZKSSO_SALT, bytecode: initCode })` */
export const ZKSSO_SALT: Hex = PROTOCOL_DEPLOYMENT_SALT; // "zksso/v1" right-padded (protocol §12.1)

/** A Groth16 verifier to register for a size tier. */
export interface VerifierDeployment {
  /** Tier id: maximum `header.payload` bytes (protocol §8). */
  tier: number;
  /** Creation bytecode of the verifier (snarkjs's export compiled, or a test mock). */
  bytecode: Hex;
}

/** Options of {@link deploy}. */
export interface DeployOptions {
  rpcUrl: string;
  /** Key paying for the deployments; it also becomes the owner of the registry and validator by default. */
  deployerKey: Hex;
  /** Verifiers per tier, registered in ZkLoginValidator at construction. */
  verifiers?: readonly VerifierDeployment[];
  /** JwkRegistry owner (default: the deployer). */
  jwkOwner?: Address;
  /** JwkRegistry oracle signers (sorted here) and threshold (default: none, 0). */
  oracles?: readonly Address[];
  oracleThreshold?: number;
  /** VerifyingPaymaster signer (default: the deployer). */
  paymasterSigner?: Address;
  /** Where the addresses JSON goes (not written if absent). */
  outFile?: string;
  /** forge artifacts directory (default: the package's `out/`). */
  artifactsDir?: string;
}

/** Addresses of a zkSSO deployment. */
export interface Deployment {
  chainId: number;
  create2Deployer: Address;
  entryPoint: Address;
  senderCreator: Address;
  jwkRegistry: Address;
  zkLoginValidator: Address;
  accountImplementation: Address;
  accountFactory: Address;
  /** Contracts of the other modules; zero address when their artifact was not built. */
  webAuthnValidator: Address;
  sessionKeyValidator: Address;
  recoveryModule: Address;
  verifyingPaymaster: Address;
  /** Verifier address per tier. */
  verifiers: Record<string, Address>;
}

/**
 * A deployment transaction failed or left no code at the predicted address.
 *
 * @example
 * ```ts
 * try { await deploy(options); } catch (e) { if (e instanceof DeploymentError) console.log(e.details.contract); }
 * ```
 */
export class DeploymentError extends ZkSsoError {
  constructor(contract: string, address: Address, reason: string) {
    super('DEPLOYMENT_FAILED', `Deploying ${contract} at ${address} failed: ${reason}`, {
      details: { contract, address, reason },
    });
  }
}

/**
 * Deploys every zkSSO contract deterministically through the CREATE2 deployer (installing it with
 * `anvil_setCode` on dev chains that lack it), the EntryPoint v0.8 (and its SenderCreator) at their canonical
 * addresses, and writes the addresses JSON. Contracts already deployed are kept: the call is idempotent.
 *
 * @example
 * ```ts
 * const deployment = await deploy({ rpcUrl: 'http://127.0.0.1:8545', deployerKey: '0x...', outFile: 'deployments/local/31337.json' });
 * console.log(deployment.accountFactory);
 * ```
 */
export async function deploy(options: DeployOptions): Promise<Deployment> {
  const account = privateKeyToAccount(options.deployerKey);
  const publicClient = createPublicClient({ transport: http(options.rpcUrl) });
  const chainId = await publicClient.getChainId();
  const wallet = createWalletClient({
    account,
    transport: http(options.rpcUrl),
    chain: {
      id: chainId,
      name: 'zksso',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [options.rpcUrl] } },
    },
  });

  await ensureCreate2Deployer(publicClient, options.rpcUrl);

  const create2 = async (name: string, initCode: Hex, salt: Hex = ZKSSO_SALT): Promise<Address> => {
    const address = getContractAddress({
      opcode: 'CREATE2',
      from: CREATE2_DEPLOYER,
      salt,
      bytecode: initCode,
    });
    if (await hasCode(publicClient, address)) return address;
    const hash = await wallet.sendTransaction({ to: CREATE2_DEPLOYER, data: concat([salt, initCode]) });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success')
      throw new DeploymentError(name, address, `transaction ${hash} reverted`);
    if (!(await hasCode(publicClient, address)))
      throw new DeploymentError(name, address, 'no code after deployment');
    return address;
  };
  const artifact = (name: string): ContractArtifact =>
    loadArtifact(name, { artifactsDir: options.artifactsDir });
  const optional = (name: string): ContractArtifact | undefined => {
    try {
      return artifact(name);
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) return undefined;
      throw error;
    }
  };
  const initCode = (a: ContractArtifact, args: readonly unknown[] = []): Hex =>
    encodeDeployData({ abi: a.abi as Abi, bytecode: a.bytecode, args } as Parameters<
      typeof encodeDeployData
    >[0]);

  const entryPointArtifact = loadAccountAbstractionArtifact('EntryPoint');
  const entryPoint = await create2('EntryPoint', entryPointArtifact.bytecode, ENTRY_POINT_V08_SALT);
  const senderCreator = (await publicClient.readContract({
    address: entryPoint,
    abi: entryPointArtifact.abi,
    functionName: 'senderCreator',
  })) as Address;

  const verifiers: Record<string, Address> = {};
  for (const v of options.verifiers ?? []) {
    verifiers[String(v.tier)] = await create2(`Groth16Verifier(tier ${v.tier})`, v.bytecode);
  }
  const tiers = Object.keys(verifiers).map(Number);

  const oracles = [...(options.oracles ?? [])].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const jwkRegistry = await create2(
    'JwkRegistry',
    initCode(artifact('JwkRegistry'), [
      options.jwkOwner ?? account.address,
      oracles,
      BigInt(options.oracleThreshold ?? 0),
    ]),
  );
  const zkLoginValidator = await create2(
    'ZkLoginValidator',
    initCode(artifact('ZkLoginValidator'), [
      jwkRegistry,
      account.address,
      tiers,
      tiers.map((t) => verifiers[String(t)]),
    ]),
  );

  const deployOptional = async (name: string, args: readonly unknown[] = []): Promise<Address> => {
    const a = optional(name);
    return a ? create2(name, initCode(a, args)) : zeroAddress;
  };
  const webAuthnValidator = await deployOptional('WebAuthnValidator');
  const sessionKeyValidator = await deployOptional('SessionKeyValidator');
  const recoveryModule = await deployOptional('RecoveryModule');
  const verifyingPaymaster = await deployOptional('VerifyingPaymaster', [
    entryPoint,
    account.address,
    options.paymasterSigner ?? account.address,
  ]);

  const accountImplementation = await create2(
    'ZkSsoAccount',
    initCode(artifact('ZkSsoAccount'), [entryPoint]),
  );
  const accountFactory = await create2(
    'ZkSsoAccountFactory',
    initCode(artifact('ZkSsoAccountFactory'), [accountImplementation, zkLoginValidator, webAuthnValidator]),
  );

  const deployment: Deployment = {
    chainId,
    create2Deployer: CREATE2_DEPLOYER,
    entryPoint,
    senderCreator,
    jwkRegistry,
    zkLoginValidator,
    accountImplementation,
    accountFactory,
    webAuthnValidator,
    sessionKeyValidator,
    recoveryModule,
    verifyingPaymaster,
    verifiers,
  };
  if (options.outFile) {
    mkdirSync(dirname(options.outFile), { recursive: true });
    writeFileSync(options.outFile, `${JSON.stringify(deployment, null, 2)}\n`);
  }
  return deployment;
}

async function hasCode(client: PublicClient, address: Address): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== '0x';
}

/** Installs the CREATE2 deployer with `anvil_setCode` when the chain lacks it (dev chains only). */
async function ensureCreate2Deployer(client: PublicClient, rpcUrl: string): Promise<void> {
  if (await hasCode(client, CREATE2_DEPLOYER)) return;
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'anvil_setCode',
      params: [CREATE2_DEPLOYER, CREATE2_DEPLOYER_RUNTIME],
    }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  if (body.error) {
    throw new DeploymentError(
      'CREATE2 deployer',
      CREATE2_DEPLOYER,
      `absent and anvil_setCode failed: ${body.error.message}`,
    );
  }
}
