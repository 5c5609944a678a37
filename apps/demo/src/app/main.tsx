import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WagmiProvider } from 'wagmi';
import { DEMO_CONFIG_PATH, type DemoConfig } from '../shared/config.ts';
import { App } from './App.tsx';
import { DemoContext } from './context.ts';
import './styles.css';
import { createDemoWagmiConfig, resolveNetwork } from './wagmi.ts';

// The server tells the page where the auth server and the chain are (the same build runs anywhere).
const config = (await (await fetch(DEMO_CONFIG_PATH)).json()) as DemoConfig;
const network = resolveNetwork(config, window.location.origin);
const wagmiConfig = createDemoWagmiConfig({
  network,
  authServerUrl: config.authServerUrl,
  origin: window.location.origin,
});
const queryClient = new QueryClient();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <WagmiProvider config={wagmiConfig}>
      <QueryClientProvider client={queryClient}>
        <DemoContext.Provider value={{ network, authServerUrl: config.authServerUrl, faucet: config.faucet }}>
          <App />
        </DemoContext.Provider>
      </QueryClientProvider>
    </WagmiProvider>
  </StrictMode>,
);
