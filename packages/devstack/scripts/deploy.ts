/**
 * Deploys zkSSO to a chain: `RPC_URL=http://127.0.0.1:8545 DEPLOYER_KEY=0x... npm run deploy -w @zksso/devstack`.
 * Optional: OUT_FILE (default deployments/local/<chainId>.json), JWK_OWNER.
 */
import { join } from 'node:path';
import { type Address, createPublicClient, type Hex, http } from 'viem';
import { contractsRoot } from '../src/deploy/artifacts.ts';
import { deploy } from '../src/deploy/deploy.ts';

const rpcUrl = process.env.RPC_URL ?? 'http://127.0.0.1:8545';
const deployerKey = process.env.DEPLOYER_KEY as Hex | undefined;
if (!deployerKey) {
  process.stderr.write('DEPLOYER_KEY is required\n');
  process.exit(1);
}
const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
const outFile = process.env.OUT_FILE ?? join(contractsRoot, 'deployments', 'local', `${chainId}.json`);
const deployment = await deploy({
  rpcUrl,
  deployerKey,
  jwkOwner: process.env.JWK_OWNER as Address | undefined,
  outFile,
});
process.stdout.write(`${JSON.stringify(deployment, null, 2)}\nwritten to ${outFile}\n`);
