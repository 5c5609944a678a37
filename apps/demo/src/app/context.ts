import type { ZkSsoNetwork } from '@zksso/sdk';
import { createContext, useContext } from 'react';

/** What the components need besides wagmi: the zkSSO network, the auth server, whether there is a faucet. */
export interface DemoContextValue {
  network: ZkSsoNetwork;
  authServerUrl: string;
  faucet: boolean;
}

export const DemoContext = createContext<DemoContextValue | undefined>(undefined);

/** The demo's {@link DemoContextValue}. @example `const { network } = useDemo();` */
export function useDemo(): DemoContextValue {
  const value = useContext(DemoContext);
  if (!value) throw new Error('useDemo outside <DemoContext.Provider>');
  return value;
}
