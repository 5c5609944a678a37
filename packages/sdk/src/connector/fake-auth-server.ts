import { sessionHash } from '@zksso/core';
import type { Address, Hex } from 'viem';
import { sessionSpecFromJson } from '../session-record.ts';
import { UserRejectedRequestError } from './errors.ts';
import type { FakeBrowser } from './fake-browser.ts';
import type { GrantPermissionsRequest } from './permissions.ts';
import { servePopupRequests } from './popup-endpoint.ts';
import type { RequestMessage } from './protocol.ts';

/**
 * Test support: the auth server's popup side as docs/popup-protocol.md describes it, with approval
 * answered by the test (`refuse`), and sending delegated to `send` (a real transaction on anvil in the
 * tests). Serves every popup the fake browser opens.
 *
 * @example
 * ```ts
 * const auth = fakeAuthServer(browser, { account, send: async () => txHash });
 * ```
 */
export function fakeAuthServer(
  browser: FakeBrowser,
  options: {
    account: Address;
    send?: (request: RequestMessage) => Promise<Hex>;
    /** Methods the "user" refuses (4001). */
    refuse?: Set<string>;
    /** Rewrites a grant before it is answered (to test the provider's checks). */
    tamperGrant?: (grant: Record<string, unknown>) => Record<string, unknown>;
  },
) {
  const requests: RequestMessage[] = [];
  const grant = (request: GrantPermissionsRequest, chainId: Hex) => {
    const permission = request.permissions[0];
    const spec = sessionSpecFromJson(permission?.data);
    const answer = {
      chainId,
      address: options.account,
      expiry: request.expiry,
      signer: request.signer,
      grantedPermissions: [{ type: permission?.type, data: permission?.data, policies: [] }],
      permissionsContext: sessionHash(spec),
    };
    return options.tamperGrant ? options.tamperGrant(answer) : answer;
  };
  browser.onOpen = (popup) => {
    servePopupRequests({
      window: popup,
      handle: async (request) => {
        requests.push(request);
        if (options.refuse?.has(request.method)) throw new UserRejectedRequestError('The user refused');
        const [first] = request.params as [Record<string, unknown> | undefined];
        switch (request.method) {
          case 'eth_requestAccounts': {
            const chainId = first?.chainId as Hex;
            const session = first?.session as GrantPermissionsRequest | undefined;
            return {
              accounts: [options.account],
              chainId,
              ...(session ? { permissions: grant(session, chainId) } : {}),
            };
          }
          case 'wallet_grantPermissions':
            return grant(first as unknown as GrantPermissionsRequest, first?.chainId as Hex);
          case 'personal_sign':
          case 'eth_signTypedData_v4':
            return `0x${'5a'.repeat(65)}`;
          case 'eth_sendTransaction':
          case 'wallet_sendCalls': {
            if (!options.send) throw new Error('no sender');
            const transactionHash = await options.send(request);
            return { id: `0x${'ab'.repeat(32)}${requests.length}`, transactionHash, success: true };
          }
          default:
            return null;
        }
      },
    });
  };
  return { requests };
}
