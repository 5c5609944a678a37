import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANVIL_DEV_KEYS, freePort, startAnvil } from '@zksso/devstack';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  numberToHex,
  parseEther,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceZkSsoProvider } from './eip6963.ts';
import { fakeAuthServer } from './fake-auth-server.ts';
import { FakeBrowser } from './fake-browser.ts';
import { sessionPermission } from './permissions.ts';
import { createZkSsoProvider, methodRoute, type ZkSsoProvider } from './provider.ts';
import type { SessionExecutionRequest, SessionExecutor } from './session-executor.ts';
import { memoryStorage, type StorageLike } from './storage.ts';

const AUTH = 'https://auth.test';
const DAPP = 'https://dapp.test';
const SHOP: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const OTHER: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
// The zkSSO account is played by an anvil dev key: the tests need real transactions, not a real account.
const payer = privateKeyToAccount(ANVIL_DEV_KEYS[5] as Hex);
const ACCOUNT = payer.address;

let rpcUrl = '';
let stopAnvil: () => Promise<void> = async () => {};
const devChain = () =>
  defineChain({
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

beforeAll(async () => {
  const port = await freePort();
  const anvil = await startAnvil(
    { port, logFile: join(tmpdir(), `zksso-connector-anvil-${port}.log`) },
    () => {},
  );
  stopAnvil = () => anvil.stop();
  rpcUrl = `http://127.0.0.1:${port}`;
}, 60_000);
afterAll(() => stopAnvil());

/** A real transaction on anvil standing for the batch the popup or a session sent. */
async function sendOnAnvil(to: Address, value: bigint): Promise<Hex> {
  const wallet = createWalletClient({ account: payer, chain: devChain(), transport: http(rpcUrl) });
  return wallet.sendTransaction({ to, value });
}

/** Executes with "the session key" (anvil's payer) and records what it was asked. */
function recordingExecutor(behaviour: (request: SessionExecutionRequest) => Promise<void> = async () => {}) {
  const executed: SessionExecutionRequest[] = [];
  const executor: SessionExecutor = {
    canExecute: ({ chainId }) => chainId === 31337,
    async execute(request) {
      executed.push(request);
      await behaviour(request);
      const call = request.calls[0];
      const transactionHash = await sendOnAnvil(call?.to ?? SHOP, call?.value ?? 0n);
      return { transactionHash, success: true };
    },
  };
  return { executor, executed };
}

const session = () => ({
  expiresAt: new Date(Date.now() + 3_600_000),
  feeLimit: parseEther('0.01'),
  transfers: [
    {
      target: SHOP,
      maxValuePerUse: parseEther('0.01'),
      valueLimit: { limit: parseEther('0.05'), period: '1 day' },
    },
  ],
});

function setup(
  options: {
    storage?: StorageLike;
    executor?: SessionExecutor;
    withSession?: boolean;
    auth?: Omit<Parameters<typeof fakeAuthServer>[1], 'account'>;
  } = {},
) {
  const browser = new FakeBrowser();
  const dapp = browser.window(`${DAPP}/`);
  const auth = fakeAuthServer(browser, {
    account: ACCOUNT,
    send: async (request) => {
      const [first] = request.params as [
        { to?: Address; value?: Hex; calls?: { to: Address; value?: Hex }[] },
      ];
      const call = first.calls ? first.calls[0] : first;
      return sendOnAnvil(call?.to ?? SHOP, BigInt(call?.value ?? '0x0'));
    },
    ...options.auth,
  });
  const storage = options.storage ?? memoryStorage();
  const provider = createZkSsoProvider({
    authServerUrl: AUTH,
    metadata: { name: 'Shop' },
    chains: [devChain(), otherChain],
    window: dapp,
    storage,
    popup: { pollIntervalMs: 5, timeoutMs: 10_000 },
    ...(options.executor ? { sessionExecutor: options.executor } : {}),
    ...(options.withSession ? { session: session() } : {}),
  });
  const events: [string, unknown][] = [];
  for (const name of ['accountsChanged', 'chainChanged', 'connect', 'disconnect'] as const)
    provider.on(name, (payload: unknown) => events.push([name, payload]));
  return { browser, provider, auth, events, storage };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (e: { code?: unknown }) => e.code,
  );

async function connect(provider: ZkSsoProvider): Promise<Address> {
  const [account] = (await provider.request({ method: 'eth_requestAccounts' })) as Address[];
  return account as Address;
}

describe('methodRoute', () => {
  it('sends each method where docs/popup-protocol.md says', () => {
    const expected: Record<string, string> = {
      eth_requestAccounts: 'popup',
      personal_sign: 'popup',
      eth_signTypedData_v4: 'popup',
      wallet_grantPermissions: 'popup',
      wallet_revokePermissions: 'popup',
      wallet_showCallsStatus: 'popup',
      eth_sendTransaction: 'send',
      wallet_sendCalls: 'send',
      eth_accounts: 'local',
      eth_chainId: 'local',
      wallet_getCapabilities: 'local',
      wallet_getCallsStatus: 'local',
      wallet_getPermissions: 'local',
      wallet_switchEthereumChain: 'local',
      wallet_disconnect: 'local',
      eth_getBalance: 'rpc',
      eth_call: 'rpc',
      eth_blockNumber: 'rpc',
      eth_sign: 'unsupported',
      eth_signTransaction: 'unsupported',
      wallet_addEthereumChain: 'unsupported',
    };
    for (const [method, route] of Object.entries(expected))
      expect([method, methodRoute(method)]).toEqual([method, route]);
  });
});

describe('createZkSsoProvider before connecting', () => {
  it('answers locally, refuses what needs an account with 4100 and unknown methods with 4200, no popup', async () => {
    const { browser, provider } = setup();
    expect(await provider.request({ method: 'eth_accounts' })).toEqual([]);
    expect(await provider.request({ method: 'eth_chainId' })).toBe('0x7a69');
    expect(await codeOf(provider.request({ method: 'personal_sign', params: ['0x68', ACCOUNT] }))).toBe(4100);
    expect(await codeOf(provider.request({ method: 'eth_sendTransaction', params: [{ to: SHOP }] }))).toBe(
      4100,
    );
    expect(await codeOf(provider.request({ method: 'wallet_getPermissions' }))).toBe(4100);
    expect(await codeOf(provider.request({ method: 'wallet_grantPermissions', params: [{}] }))).toBe(4100);
    expect(await codeOf(provider.request({ method: 'eth_sign', params: [ACCOUNT, '0x00'] }))).toBe(4200);
    expect(
      await codeOf(provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: '0x1' }] })),
    ).toBe(4902);
    expect(browser.opened).toHaveLength(0);
  });
});

describe('connecting, switching, disconnecting', () => {
  it('connects through one popup, emits connect and accountsChanged, then answers locally', async () => {
    const { browser, provider, auth, events } = setup();
    expect(await connect(provider)).toBe(ACCOUNT);
    expect(auth.requests).toHaveLength(1);
    expect(auth.requests[0]).toMatchObject({
      method: 'eth_requestAccounts',
      params: [{ chainId: '0x7a69', chains: ['0x7a69', numberToHex(4242)] }],
      dapp: { name: 'Shop', origin: DAPP },
    });
    expect(events).toEqual([
      ['connect', { chainId: '0x7a69' }],
      ['accountsChanged', [ACCOUNT]],
    ]);
    expect(await provider.request({ method: 'eth_requestAccounts' })).toEqual([ACCOUNT]);
    expect(await provider.request({ method: 'eth_accounts' })).toEqual([ACCOUNT]);
    expect(browser.opened).toHaveLength(1);
  });

  it('opens the popup synchronously inside request, so the click gesture still counts', async () => {
    const { executor } = recordingExecutor();
    const { browser, provider } = setup({ executor, withSession: true });
    const connecting = provider.request({ method: 'eth_requestAccounts' });
    expect(browser.opened).toHaveLength(1);
    await connecting;
    // A send no session covers (another target) opens its popup in the same call as well.
    const sending = provider.request({
      method: 'eth_sendTransaction',
      params: [{ to: OTHER, value: '0x1' }],
    });
    expect(browser.opened).toHaveLength(2);
    await sending;
  });

  it('a refusal in the popup is 4001 and leaves the provider disconnected', async () => {
    const { provider } = setup({ auth: { refuse: new Set(['eth_requestAccounts']) } });
    expect(await codeOf(provider.request({ method: 'eth_requestAccounts' }))).toBe(4001);
    expect(await provider.request({ method: 'eth_accounts' })).toEqual([]);
  });

  it('switches between configured chains locally with chainChanged', async () => {
    const { browser, provider, events } = setup();
    await connect(provider);
    events.length = 0;
    await provider.request({
      method: 'wallet_switchEthereumChain',
      params: [{ chainId: numberToHex(4242) }],
    });
    expect(await provider.request({ method: 'eth_chainId' })).toBe(numberToHex(4242));
    expect(events).toEqual([['chainChanged', numberToHex(4242)]]);
    expect(
      await codeOf(provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: '0xa' }] })),
    ).toBe(4902);
    expect(browser.opened).toHaveLength(1);
  });

  it('disconnects: accountsChanged [] then disconnect 4900; the stored state is gone', async () => {
    const storage = memoryStorage();
    const { provider, events } = setup({ storage });
    await connect(provider);
    events.length = 0;
    expect(await provider.request({ method: 'wallet_disconnect' })).toBeNull();
    expect(events.map(([name]) => name)).toEqual(['accountsChanged', 'disconnect']);
    expect(events[0]?.[1]).toEqual([]);
    expect(events[1]?.[1]).toMatchObject({ code: 4900 });
    expect(await provider.request({ method: 'eth_accounts' })).toEqual([]);
    expect(storage.getItem(`zksso.connector.v1:${AUTH}`)).toBeNull();
  });

  it('reconnects from storage on the next page load without a popup', async () => {
    const storage = memoryStorage();
    await connect(setup({ storage }).provider);
    const again = setup({ storage });
    expect(await again.provider.request({ method: 'eth_accounts' })).toEqual([ACCOUNT]);
    expect(again.browser.opened).toHaveLength(0);
  });
});

describe('signing and sending through the popup', () => {
  it('forwards personal_sign and eth_signTypedData_v4 for the account only', async () => {
    const { provider, auth } = setup();
    await connect(provider);
    const signature = `0x${'5a'.repeat(65)}`;
    expect(await provider.request({ method: 'personal_sign', params: ['0x6869', ACCOUNT] })).toBe(signature);
    const typed = { domain: { name: 'Shop' }, types: {}, primaryType: 'Order', message: {} };
    expect(await provider.request({ method: 'eth_signTypedData_v4', params: [ACCOUNT, typed] })).toBe(
      signature,
    );
    expect(auth.requests.slice(1).map((r) => [r.method, r.params[0], r.params[1]])).toEqual([
      ['personal_sign', '0x6869', ACCOUNT],
      ['eth_signTypedData_v4', ACCOUNT, JSON.stringify(typed)],
    ]);
    expect(await codeOf(provider.request({ method: 'personal_sign', params: ['0x68', OTHER] }))).toBe(4100);
    expect(
      await codeOf(
        provider.request({ method: 'eth_signTypedData_v4', params: [ACCOUNT, { message: { n: 1n } }] }),
      ),
    ).toBe(-32602);
  });

  it('wallet_sendCalls through the popup, then wallet_getCallsStatus from the chain (200 with the receipt)', async () => {
    const { provider, auth } = setup();
    await connect(provider);
    const { id } = (await provider.request({
      method: 'wallet_sendCalls',
      params: [
        { version: '2.0.0', chainId: '0x7a69', atomicRequired: true, calls: [{ to: SHOP, value: '0x1' }] },
      ],
    })) as { id: string };
    expect(auth.requests.at(-1)).toMatchObject({
      method: 'wallet_sendCalls',
      params: [
        { from: ACCOUNT, chainId: '0x7a69', atomicRequired: true, calls: [{ to: SHOP, value: '0x1' }] },
      ],
    });
    const status = (await provider.request({ method: 'wallet_getCallsStatus', params: [id] })) as {
      status: number;
      receipts: { transactionHash: Hex; status: Hex }[];
    };
    expect(status).toMatchObject({ version: '2.0.0', id, chainId: '0x7a69', status: 200, atomic: true });
    expect(status.receipts[0]?.status).toBe('0x1');
    const onChain = await createPublicClient({ transport: http(rpcUrl) }).getTransaction({
      hash: status.receipts[0]?.transactionHash as Hex,
    });
    expect(onChain.to?.toLowerCase()).toBe(SHOP.toLowerCase());
  });

  it('refuses bad sendCalls with the EIP-5792 codes', async () => {
    const { provider } = setup();
    await connect(provider);
    const base = { version: '2.0.0', chainId: '0x7a69', atomicRequired: true, calls: [{ to: SHOP }] };
    expect(await codeOf(provider.request({ method: 'wallet_getCallsStatus', params: ['0x1234'] }))).toBe(
      5730,
    );
    expect(
      await codeOf(provider.request({ method: 'wallet_sendCalls', params: [{ ...base, chainId: '0xa' }] })),
    ).toBe(5710);
    expect(
      await codeOf(
        provider.request({
          method: 'wallet_sendCalls',
          params: [{ ...base, capabilities: { flashLoan: { x: 1 } } }],
        }),
      ),
    ).toBe(5700);
    expect(
      await codeOf(provider.request({ method: 'wallet_sendCalls', params: [{ ...base, calls: [] }] })),
    ).toBe(-32602);
    await provider.request({ method: 'wallet_sendCalls', params: [{ ...base, id: 'order-1' }] });
    expect(
      await codeOf(provider.request({ method: 'wallet_sendCalls', params: [{ ...base, id: 'order-1' }] })),
    ).toBe(5720);
  });

  it('forwards read-only eth_* to the chain RPC', async () => {
    const { provider, browser } = setup();
    const direct = await createPublicClient({ transport: http(rpcUrl) }).getBalance({ address: ACCOUNT });
    const balance = await provider.request({ method: 'eth_getBalance', params: [ACCOUNT, 'latest'] });
    expect(BigInt(balance as Hex)).toBe(direct);
    expect(browser.opened).toHaveLength(0);
  });

  it('describes its capabilities per configured chain, for the account only', async () => {
    const { provider } = setup();
    await connect(provider);
    const capabilities = (await provider.request({
      method: 'wallet_getCapabilities',
      params: [ACCOUNT],
    })) as Record<string, unknown>;
    expect(Object.keys(capabilities)).toEqual(['0x7a69', numberToHex(4242)]);
    expect(capabilities['0x7a69']).toMatchObject({ atomic: { status: 'supported' } });
    expect(await codeOf(provider.request({ method: 'wallet_getCapabilities', params: [OTHER] }))).toBe(4100);
  });
});

describe('sessions (ERC-7715) and sending without popups', () => {
  it('the connect option asks for the session in the same popup; the key stays in the dapp', async () => {
    const storage = memoryStorage();
    const { provider, auth, browser } = setup({ withSession: true, storage });
    await connect(provider);
    expect(browser.opened).toHaveLength(1);
    const permissions = (await provider.request({ method: 'wallet_getPermissions' })) as {
      permissionsContext: Hex;
      signer: { data: { id: Address } };
    }[];
    expect(permissions).toHaveLength(1);
    const stored = JSON.parse(storage.getItem(`zksso.connector.v1:${AUTH}`) as string) as {
      sessions: { sessionPrivateKey: Hex; sessionHash: Hex }[];
    };
    const privateKey = stored.sessions[0]?.sessionPrivateKey as Hex;
    expect(privateKeyToAccount(privateKey).address).toBe(permissions[0]?.signer.data.id);
    expect(stored.sessions[0]?.sessionHash).toBe(permissions[0]?.permissionsContext);
    // What the popup saw: the session key's address, never the key.
    const sent = JSON.stringify(auth.requests);
    expect(sent).toContain(permissions[0]?.signer.data.id);
    expect(sent).not.toContain(privateKey.slice(2));
  });

  it('after wallet_grantPermissions, a fitting send goes to the executor with no popup; others go to the popup', async () => {
    const { executor, executed } = recordingExecutor();
    const { provider, browser, auth } = setup({ executor });
    await connect(provider);
    const { expiry, permission } = sessionPermission(session());
    const granted = (await provider.request({
      method: 'wallet_grantPermissions',
      params: [{ expiry, permissions: [permission] }],
    })) as { permissionsContext: Hex };
    expect(granted.permissionsContext).toMatch(/^0x[0-9a-f]{64}$/);
    const popupsBefore = browser.opened.length;

    const hash = await provider.request({
      method: 'eth_sendTransaction',
      params: [{ from: ACCOUNT, to: SHOP, value: numberToHex(parseEther('0.005')) }],
    });
    expect(browser.opened.length).toBe(popupsBefore);
    expect(executed).toHaveLength(1);
    expect(executed[0]?.calls).toEqual([{ to: SHOP, value: parseEther('0.005') }]);
    expect(executed[0]?.session.sessionHash).toBe(granted.permissionsContext);
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);

    // Over maxValuePerUse, and a target outside the policy: the popup, not the session.
    await provider.request({
      method: 'eth_sendTransaction',
      params: [{ to: SHOP, value: numberToHex(parseEther('0.02')) }],
    });
    await provider.request({ method: 'eth_sendTransaction', params: [{ to: OTHER, value: '0x1' }] });
    expect(executed).toHaveLength(1);
    expect(browser.opened.length).toBe(popupsBefore + 2);
    expect(auth.requests.slice(-2).map((r) => r.method)).toEqual([
      'eth_sendTransaction',
      'eth_sendTransaction',
    ]);
  });

  it('falls back to the popup when the chain refuses the session, and forgets a revoked one', async () => {
    let refusal = 'SESSION_LIMIT_EXCEEDED';
    const { executor, executed } = recordingExecutor(async () => {
      throw Object.assign(new Error('refused'), { code: refusal });
    });
    const { provider, browser } = setup({ executor, withSession: true });
    await connect(provider);
    const send = () =>
      provider.request({ method: 'eth_sendTransaction', params: [{ to: SHOP, value: '0x1' }] });
    await send();
    expect(executed).toHaveLength(1);
    expect(browser.opened).toHaveLength(2); // connect + the fallback
    refusal = 'SESSION_NOT_ACTIVE';
    await send();
    expect(browser.opened).toHaveLength(3);
    expect(await provider.request({ method: 'wallet_getPermissions' })).toEqual([]);
    await send();
    expect(executed).toHaveLength(2); // the forgotten session is not tried again
  });

  it('does not fall back on other executor errors (the batch may have been sent)', async () => {
    const { executor } = recordingExecutor(async () => {
      throw Object.assign(new Error('bundler down'), { code: 'SERVICE_ERROR' });
    });
    const { provider, browser } = setup({ executor, withSession: true });
    await connect(provider);
    const error = await provider
      .request({ method: 'eth_sendTransaction', params: [{ to: SHOP, value: '0x1' }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: -32603, data: { code: 'SERVICE_ERROR' } });
    expect(browser.opened).toHaveLength(1);
  });

  it('refuses a grant whose hash, key or account does not match what was asked; nothing is stored', async () => {
    for (const tamper of [
      (g: Record<string, unknown>) => ({ ...g, permissionsContext: `0x${'00'.repeat(32)}` }),
      (g: Record<string, unknown>) => ({ ...g, address: OTHER }),
      (g: Record<string, unknown>) => ({ ...g, expiry: 1 }),
    ]) {
      const { provider } = setup({ auth: { tamperGrant: tamper } });
      await connect(provider);
      const { expiry, permission } = sessionPermission(session());
      const error = await provider
        .request({ method: 'wallet_grantPermissions', params: [{ expiry, permissions: [permission] }] })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: -32603, data: { reason: 'SESSION_MISMATCH' } });
      expect(await provider.request({ method: 'wallet_getPermissions' })).toEqual([]);
    }
  });

  it('refuses grant requests it cannot map onto a session (-32602)', async () => {
    const { provider } = setup();
    await connect(provider);
    const { expiry, permission } = sessionPermission(session());
    for (const params of [
      { expiry, permissions: [{ type: 'native-token-transfer', data: { ticker: 'ETH' }, policies: [] }] },
      { expiry, permissions: [permission], signer: { type: 'account', data: { id: OTHER } } },
      { expiry: Math.floor(Date.now() / 1000) - 10, permissions: [permission] },
    ])
      expect(await codeOf(provider.request({ method: 'wallet_grantPermissions', params: [params] }))).toBe(
        -32602,
      );
  });

  it('revokes through the popup and forgets the session', async () => {
    const { provider, auth } = setup({ withSession: true });
    await connect(provider);
    const [granted] = (await provider.request({ method: 'wallet_getPermissions' })) as {
      permissionsContext: Hex;
    }[];
    await provider.request({
      method: 'wallet_revokePermissions',
      params: [{ permissionsContext: granted?.permissionsContext }],
    });
    expect(auth.requests.at(-1)).toMatchObject({
      method: 'wallet_revokePermissions',
      params: [{ permissionsContext: granted?.permissionsContext, chainId: '0x7a69', address: ACCOUNT }],
    });
    expect(await provider.request({ method: 'wallet_getPermissions' })).toEqual([]);
  });
});

describe('announceZkSsoProvider (EIP-6963)', () => {
  it('announces { info, provider } now and on every eip6963:requestProvider, until stopped', () => {
    const target = new EventTarget();
    const details: { info: { uuid: string; name: string; icon: string; rdns: string }; provider: unknown }[] =
      [];
    target.addEventListener('eip6963:announceProvider', (event) =>
      details.push((event as CustomEvent).detail as (typeof details)[number]),
    );
    const { provider } = setup();
    const stop = announceZkSsoProvider({ provider, window: target });
    target.dispatchEvent(new Event('eip6963:requestProvider'));
    stop();
    target.dispatchEvent(new Event('eip6963:requestProvider'));
    expect(details).toHaveLength(2);
    expect(details[0]?.provider).toBe(provider);
    expect(details[0]?.info).toMatchObject({ name: 'zkSSO', rdns: 'dev.zksso' });
    expect(details[0]?.info.icon.startsWith('data:image/svg+xml,')).toBe(true);
    expect(details[0]?.info.uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(details[1]?.info).toBe(details[0]?.info);
    expect(Object.isFrozen(details[0])).toBe(true);
  });
});
