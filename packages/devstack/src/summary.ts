import { zeroAddress } from 'viem';
import type { DevStack } from './stack.ts';

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join('\n');
}

/**
 * The human summary printed when the stack is ready: every URL, contract address, test account and the
 * state directory, as aligned tables.
 *
 * @example
 * ```ts
 * process.stdout.write(formatSummary(stack));
 * ```
 */
export function formatSummary(stack: DevStack): string {
  const services: [string, string][] = [
    ['chain RPC (anvil)', `${stack.urls.rpc}  (chain id ${stack.chainId})`],
    ['bundler (Alto)', stack.urls.bundler],
    ['OpenID provider', `${stack.urls.idp}  (clients ${stack.idp.clientIds.join(', ')})`],
    ['  JWKS', stack.urls.jwks],
    ['salt service', stack.urls.salt],
    [
      'prover',
      stack.urls.prover
        ? `${stack.urls.prover}  (tiers ${stack.prover.tiers.join(', ')}, DEVELOPMENT keys)`
        : `not running: ${stack.prover.reason ?? 'unknown'}`,
    ],
  ];
  if (stack.urls.demo && stack.urls.authServer)
    services.push(
      ['demo dapp', `${stack.urls.demo}  (open it in a browser)`],
      [
        'auth server',
        `${stack.urls.authServer}  (the popup wallet; your account: ${stack.urls.authServer}/account)`,
      ],
    );
  const { verifiers, chainId: _chainId, ...named } = stack.addresses;
  const contracts: [string, string][] = Object.entries(named).map(([name, address]) => [
    name,
    address === zeroAddress ? `${address}  (not built)` : String(address),
  ]);
  for (const [tier, address] of Object.entries(verifiers)) contracts.push([`verifier tier ${tier}`, address]);
  const accounts: [string, string][] = stack.testAccounts.map((address, i) => [`account ${i + 1}`, address]);
  return [
    '',
    'zkSSO dev stack',
    '',
    'Services',
    table(services),
    '',
    'Contracts',
    table(contracts),
    '',
    `Dev IdP keys in the JwkRegistry: ${stack.jwk.keys.length} (${stack.jwk.via === 'jwk-oracle' ? 'JWK oracle, following rotations' : 'added by the registry owner: JWK oracle not available'})`,
    '',
    "Funded test accounts (anvil's well-known dev mnemonic, dev accounts 3-5)",
    table(accounts),
    '',
    `State directory: ${stack.stateDir}  (addresses.json, logs/, dev-idp/ keys, salt-seed.hex)`,
    '',
    ...(stack.urls.demo ? [`Open the demo dapp: ${stack.urls.demo}`, ''] : []),
  ].join('\n');
}
