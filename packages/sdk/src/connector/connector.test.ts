import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connect,
  createConfig,
  disconnect,
  getBalance,
  getChainId,
  getConnection,
  signMessage,
  switchChain,
} from '@wagmi/core';
import { freePort, startAnvil } from '@zksso/devstack';
import { type Address, createPublicClient, defineChain, http, numberToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zksso } from './connector.ts';
import { fakeAuthServer } from './fake-auth-server.ts';
import { FakeBrowser } from './fake-browser.ts';
import { memoryStorage } from './storage.ts';

const ACCOUNT: Address = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc';
let rpcUrl = '';
let stopAnvil: () => Promise<void> = async () => {};
beforeAll(async () => {
  const port = await freePort();
  const anvil = await startAnvil(
    { port, logFile: join(tmpdir(), `zksso-wagmi-anvil-${port}.log`) },
    () => {},
  );
  stopAnvil = () => anvil.stop();
  rpcUrl = `http://127.0.0.1:${port}`;
}, 60_000);
afterAll(() => stopAnvil());

function setup(storage = memoryStorage()) {
  const devChain = defineChain({
    id: 31337,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const otherChain = defineChain({
    id: 4242,
    name: 'other',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: ['http://127.0.0.1:9'] } },
  });
  const browser = new FakeBrowser();
  const dapp = browser.window('https://dapp.test/');
  const auth = fakeAuthServer(browser, { account: ACCOUNT });
  const config = createConfig({
    chains: [devChain, otherChain],
    transports: { [devChain.id]: http(rpcUrl), [otherChain.id]: http('http://127.0.0.1:9') },
    storage: null,
    connectors: [
      zksso({
        authServerUrl: 'https://auth.test',
        metadata: { name: 'Shop' },
        window: dapp,
        storage,
        popup: { pollIntervalMs: 5 },
      }),
    ],
  });
  const connector = config.connectors[0];
  if (!connector) throw new Error('no connector');
  return { browser, auth, config, connector };
}

describe('zksso wagmi connector', () => {
  it('connects, reads accounts and chain, switches chain, signs and disconnects through wagmi actions', async () => {
    const { browser, auth, config, connector } = setup();
    expect(connector).toMatchObject({ id: 'zksso', name: 'zkSSO', type: 'zksso' });
    expect(await connector.isAuthorized()).toBe(false);

    const result = await connect(config, { connector });
    expect(result).toMatchObject({ accounts: [ACCOUNT], chainId: 31337 });
    expect(auth.requests.map((r) => r.method)).toEqual(['eth_requestAccounts']);
    expect(getConnection(config)).toMatchObject({ status: 'connected', address: ACCOUNT, chainId: 31337 });
    expect(await connector.getAccounts()).toEqual([ACCOUNT]);
    expect(await connector.getChainId()).toBe(31337);
    expect(await connector.isAuthorized()).toBe(true);

    // Reads go through the config's transport to the chain (anvil), not the popup.
    const direct = await createPublicClient({ transport: http(rpcUrl) }).getBalance({ address: ACCOUNT });
    expect((await getBalance(config, { address: ACCOUNT })).value).toBe(direct);

    expect(await signMessage(config, { message: 'hi' })).toBe(`0x${'5a'.repeat(65)}`);
    expect(auth.requests.at(-1)).toMatchObject({
      method: 'personal_sign',
      params: ['0x6869', ACCOUNT, { chainId: '0x7a69' }],
    });

    await switchChain(config, { chainId: 4242 });
    expect(getChainId(config)).toBe(4242);
    expect(getConnection(config).chainId).toBe(4242);
    expect(await connector.getChainId()).toBe(4242);

    await disconnect(config, { connector });
    expect(getConnection(config).status).toBe('disconnected');
    expect(await connector.getAccounts()).toEqual([]);
    expect(browser.opened).toHaveLength(2); // connect + sign; nothing else needed the popup
  });

  it('connects straight to a requested chain', async () => {
    const { config, connector } = setup();
    const result = await connect(config, { connector, chainId: 4242 });
    expect(result.chainId).toBe(4242);
    expect(await connector.getProvider().then((p) => p.request({ method: 'eth_chainId' }))).toBe(
      numberToHex(4242),
    );
  });

  it('reconnects from storage with isReconnecting, without a popup', async () => {
    const storage = memoryStorage();
    await connect(setup(storage).config, { connector: setup(storage).connector });
    const again = setup(storage);
    const result = await again.connector.connect({ isReconnecting: true });
    expect(result.accounts).toEqual([ACCOUNT]);
    expect(again.browser.opened).toHaveLength(0);
  });

  it('a user who closes the popup gets wagmi a 4001 (UserRejectedRequestError)', async () => {
    const { browser, config, connector } = setup();
    browser.onOpen = (popup) => {
      popup.closed = true;
    };
    const error = await connect(config, { connector }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 4001 });
    expect(getConnection(config).status).toBe('disconnected');
  });
});
