import type { DevStack } from './stack.ts';

/**
 * The ready document of a running stack: what `npm run dev -- --json` prints, `--ready-file` and
 * `<stateDir>/stack.json` hold, and `loadDevStackNetwork` of @zksso/sdk reads. URLs, chain id, contract
 * addresses, the dev IdP's issuer and client ids, the prover's tiers, funded test accounts and processes.
 *
 * @example
 * ```ts
 * writeFileSync(join(stack.stateDir, 'stack.json'), `${JSON.stringify(stackReadyDocument(stack))}\n`);
 * ```
 */
export function stackReadyDocument(stack: DevStack, pid: number = process.pid) {
  return {
    event: 'ready' as const,
    urls: stack.urls,
    chainId: stack.chainId,
    genesisHash: stack.genesisHash,
    addresses: stack.addresses,
    stateDir: stack.stateDir,
    idp: stack.idp,
    prover: stack.prover,
    jwkRegistration: stack.jwk.via,
    testAccounts: stack.testAccounts,
    pid,
    processes: stack.processes,
  };
}
