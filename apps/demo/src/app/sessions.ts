import { useQuery } from '@tanstack/react-query';
import type { GrantedPermissions, ZkSsoProvider } from '@zksso/sdk/connector';
import type { Address } from 'viem';
import { useConnection } from 'wagmi';
import { useDemo } from './context.ts';
import { readSessionState } from './wagmi.ts';

/** The connected zkSSO provider (ERC-7715 methods viem has no action for go through it). */
export function useZkSsoProvider() {
  const { connector } = useConnection();
  return async (): Promise<ZkSsoProvider> => {
    if (!connector) throw new Error('not connected');
    return (await connector.getProvider()) as ZkSsoProvider;
  };
}

/** The sessions this page holds a key for (`wallet_getPermissions`), newest last. */
export function useSessions(address: Address) {
  const provider = useZkSsoProvider();
  return useQuery({
    queryKey: ['zksso-sessions', address],
    queryFn: async () =>
      (await (await provider()).request({ method: 'wallet_getPermissions' })) as GrantedPermissions[],
  });
}

/** A session's status and limits as the chain counts them, refreshed after each payment. */
export function useSessionState(grant: GrantedPermissions | undefined) {
  const { network } = useDemo();
  return useQuery({
    queryKey: ['zksso-session-state', grant?.permissionsContext],
    queryFn: () => readSessionState(network, grant as GrantedPermissions),
    enabled: grant !== undefined,
  });
}
