import { normalizeSession, type SessionSpec } from '@zksso/core';
import {
  type Address,
  type Chain,
  getAddress,
  type Hex,
  hexToBigInt,
  http,
  isAddress,
  isAddressEqual,
  isHex,
  numberToHex,
  type Transport,
} from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { type SessionRecord, sessionSpecFromJson } from '../session-record.ts';
import { DEFAULT_POPUP_POLL_MS, DEFAULT_POPUP_TIMEOUT_MS, PopupCommunicator } from './communicator.ts';
import { ProviderEmitter, type ProviderEvents, type ProviderListener } from './emitter.ts';
import {
  DisconnectedError,
  InvalidParamsError,
  PopupError,
  PROVIDER_ERROR_CODES,
  ProviderRpcError,
  UnauthorizedError,
  UnsupportedChainError,
  UnsupportedMethodError,
} from './errors.ts';
import {
  grantedView,
  grantRequestFor,
  type SessionOptions,
  specFromGrantRequest,
  verifyGrant,
} from './permissions.ts';
import type { PopupMethod } from './protocol.ts';
import { isSessionRefusal, type SessionExecution, type SessionExecutor } from './session-executor.ts';
import { type SessionCall, sessionFit } from './session-fit.ts';
import { defaultStorage, loadState, type ProviderState, type StorageLike, saveState } from './storage.ts';
import { browserWindow, type HostWindowLike } from './window-like.ts';

/**
 * Options of {@link createZkSsoProvider}.
 *
 * @example
 * ```ts
 * const options: ZkSsoProviderOptions = { authServerUrl: 'https://auth.zksso.example', metadata: { name: 'Shop' }, chains: [sepolia] };
 * ```
 */
export interface ZkSsoProviderOptions {
  /** The auth server's base URL (its popup is `<authServerUrl>/popup`). */
  authServerUrl: string;
  /** Shown on the popup's approval screens. `icon`: an https URL or a data:image URI. */
  metadata: { name: string; icon?: string };
  /** The chains the dapp works on; the first is the default. */
  chains: readonly [Chain, ...Chain[]];
  /** Read-only JSON-RPC per chain id. Default: viem `http()` to the chain's default RPC URL. */
  transports?: Record<number, Transport>;
  /** A session to ask for at connection (one popup: sign in, then approve the session). */
  session?: SessionOptions;
  /** An ERC-7677 paymaster service for every batch (sent as the `paymasterService` capability). */
  paymaster?: { url: string };
  /** Sends session-covered batches without the popup (see `createSdkSessionExecutor`). */
  sessionExecutor?: SessionExecutor;
  /** Default: `localStorage` when there is one, else memory. */
  storage?: StorageLike;
  /** The page's window. Default: the browser's `window`. */
  window?: HostWindowLike;
  /** Popup timeout and closed-poll interval (ms). */
  popup?: { timeoutMs?: number; pollIntervalMs?: number };
}

/**
 * The zkSSO EIP-1193 provider (use it with viem's `custom()`, or through the wagmi connector).
 *
 * @example
 * ```ts
 * const client = createWalletClient({ chain: sepolia, transport: custom(provider) });
 * ```
 */
export interface ZkSsoProvider {
  readonly isZkSso: true;
  request(args: { method: string; params?: unknown }): Promise<unknown>;
  on<event extends keyof ProviderEvents>(event: event, listener: ProviderListener<event>): void;
  removeListener<event extends keyof ProviderEvents>(event: event, listener: ProviderListener<event>): void;
}

/** Where a method is answered. @example `methodRoute('eth_chainId'); // 'local'` */
export type MethodRoute = 'local' | 'popup' | 'send' | 'rpc' | 'unsupported';

const LOCAL_METHODS = new Set([
  'eth_accounts',
  'eth_chainId',
  'net_version',
  'wallet_getCapabilities',
  'wallet_getCallsStatus',
  'wallet_getPermissions',
  'wallet_switchEthereumChain',
  'wallet_disconnect',
]);
const POPUP_ONLY_METHODS = new Set([
  'eth_requestAccounts',
  'personal_sign',
  'eth_signTypedData_v4',
  'wallet_grantPermissions',
  'wallet_revokePermissions',
  'wallet_showCallsStatus',
]);
const SEND_METHODS = new Set(['eth_sendTransaction', 'wallet_sendCalls']);
/** Read-only methods forwarded to the chain's public RPC. */
const RPC_METHODS = new Set([
  'eth_blockNumber',
  'eth_call',
  'eth_estimateGas',
  'eth_feeHistory',
  'eth_gasPrice',
  'eth_getBalance',
  'eth_getBlockByHash',
  'eth_getBlockByNumber',
  'eth_getBlockTransactionCountByHash',
  'eth_getBlockTransactionCountByNumber',
  'eth_getCode',
  'eth_getLogs',
  'eth_getProof',
  'eth_getStorageAt',
  'eth_getTransactionByHash',
  'eth_getTransactionCount',
  'eth_getTransactionReceipt',
  'eth_maxPriorityFeePerGas',
  'eth_syncing',
  'web3_clientVersion',
]);

/**
 * Where the provider answers `method`: `local` (no popup, no network), `popup` (the auth server),
 * `send` (a session key when an active session covers the batch, else the popup), `rpc` (the chain's
 * public RPC) or `unsupported` (4200). `eth_requestAccounts` is local once connected.
 *
 * @example
 * ```ts
 * methodRoute('wallet_sendCalls'); // 'send'
 * methodRoute('eth_sign'); // 'unsupported'
 * ```
 */
export function methodRoute(method: string): MethodRoute {
  if (LOCAL_METHODS.has(method)) return 'local';
  if (POPUP_ONLY_METHODS.has(method)) return 'popup';
  if (SEND_METHODS.has(method)) return 'send';
  if (RPC_METHODS.has(method)) return 'rpc';
  return 'unsupported';
}

/** One batch sent, for `wallet_getCallsStatus`. */
interface CallsRecord {
  chainId: number;
  transactionHash: Hex;
  success: boolean;
  /** 'session' when a session key sent it, 'popup' otherwise. */
  via: 'session' | 'popup';
}

/** The popup's answer to a send (docs/popup-protocol.md). */
function parseSendOutcome(result: unknown): SessionExecution & { id?: string } {
  const r = result as {
    id?: unknown;
    transactionHash?: unknown;
    success?: unknown;
    userOpHash?: unknown;
  } | null;
  if (!r || !isHex(r.transactionHash) || r.transactionHash.length !== 66 || typeof r.success !== 'boolean')
    throw new PopupError(
      'BAD_AUTH_SERVER_ANSWER',
      'The auth server answered a send without a transaction hash',
    );
  return {
    transactionHash: r.transactionHash,
    success: r.success,
    ...(isHex(r.userOpHash) ? { userOpHash: r.userOpHash } : {}),
    ...(typeof r.id === 'string' && r.id.length > 0 ? { id: r.id } : {}),
  };
}

const asArray = (params: unknown): unknown[] => (Array.isArray(params) ? params : []);

function parseChainIdParam(value: unknown, what: string): number {
  if (!isHex(value)) throw new InvalidParamsError(`${what}: chainId must be a hex number`);
  const id = Number(hexToBigInt(value));
  if (!Number.isSafeInteger(id) || id <= 0) throw new InvalidParamsError(`${what}: chainId is out of range`);
  return id;
}

function parseQuantity(value: unknown, what: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (!isHex(value)) throw new InvalidParamsError(`${what} must be a hex quantity`);
  return hexToBigInt(value);
}

function parseCall(value: unknown, what: string): SessionCall {
  const c = value as { to?: unknown; value?: unknown; data?: unknown } | null;
  if (!c || typeof c !== 'object') throw new InvalidParamsError(`${what} must be an object`);
  if (typeof c.to !== 'string' || !isAddress(c.to))
    throw new InvalidParamsError(
      `${what}.to must be an address (zkSSO does not deploy contracts from calls)`,
    );
  if (c.data !== undefined && c.data !== null && !isHex(c.data))
    throw new InvalidParamsError(`${what}.data must be hex`);
  const call: SessionCall = { to: getAddress(c.to) };
  const amount = parseQuantity(c.value, `${what}.value`);
  if (amount > 0n) call.value = amount;
  if (isHex(c.data) && c.data !== '0x') call.data = c.data;
  return call;
}

/** JSON form of calls for the popup (hex quantities). */
const callsToWire = (calls: readonly SessionCall[]) =>
  calls.map((c) => ({
    to: c.to,
    ...(c.value ? { value: numberToHex(c.value) } : {}),
    ...(c.data ? { data: c.data } : {}),
  }));

/**
 * Creates the zkSSO EIP-1193 provider. Connecting, signing, approving sessions and sending anything a
 * session does not cover happen in the auth server's popup (docs/popup-protocol.md); accounts, chain,
 * capabilities, calls status and permissions are answered locally; read-only `eth_*` calls go to the
 * chain's RPC. Sessions: the session key is made here and never leaves the page; the popup only sees
 * its address. While a batch fits an active session, `sessionExecutor` sends it with no popup; when it
 * does not (over a limit, expired, revoked, target outside the policy), the popup asks the user.
 *
 * Popup methods call `window.open` synchronously inside `request`, so call `request` from the click
 * handler. A session fallback happens after the send was tried: browsers may block that popup if the
 * user's gesture has expired (then `POPUP_BLOCKED`).
 *
 * @example
 * ```ts
 * const provider = createZkSsoProvider({
 *   authServerUrl: 'https://auth.zksso.example',
 *   metadata: { name: 'Shop', icon: 'https://shop.example/icon.png' },
 *   chains: [sepolia],
 *   session: { expiresAt: new Date(Date.now() + 86_400_000), feeLimit: parseEther('0.01') },
 * });
 * const [account] = (await provider.request({ method: 'eth_requestAccounts' })) as Address[];
 * ```
 */
export function createZkSsoProvider(options: ZkSsoProviderOptions): ZkSsoProvider {
  const chainIds = options.chains.map((c) => c.id);
  const authOrigin = new URL(options.authServerUrl).origin;
  const storageKey = `zksso.connector.v1:${authOrigin}`;
  const storage = options.storage ?? defaultStorage();
  const state: ProviderState = loadState(storage, storageKey, chainIds, options.chains[0].id);
  const events = new ProviderEmitter();
  const callsById = new Map<string, CallsRecord>();
  const rpcClients = new Map<
    number,
    { request(args: { method: string; params?: unknown }): Promise<unknown> }
  >();
  let communicator: PopupCommunicator | undefined;

  const persist = () => saveState(storage, storageKey, state);
  const now = () => BigInt(Math.floor(Date.now() / 1000));

  const popup = (method: PopupMethod, params: readonly unknown[]): Promise<unknown> => {
    if (!communicator) {
      const window = options.window ?? browserWindow();
      if (!window)
        return Promise.reject(
          new PopupError(
            'NO_WINDOW',
            'No browser window: pass `window` to createZkSsoProvider outside a browser',
          ),
        );
      communicator = new PopupCommunicator({
        authServerUrl: options.authServerUrl,
        dapp: options.metadata,
        window,
        timeoutMs: options.popup?.timeoutMs ?? DEFAULT_POPUP_TIMEOUT_MS,
        pollIntervalMs: options.popup?.pollIntervalMs ?? DEFAULT_POPUP_POLL_MS,
      });
    }
    return communicator.request(method, params);
  };

  const requireAccount = (): Address => {
    if (!state.account) throw new UnauthorizedError();
    return state.account;
  };
  const requireSameAccount = (value: unknown, what: string): Address => {
    const account = requireAccount();
    if (typeof value !== 'string' || !isAddress(value) || !isAddressEqual(value, account))
      throw new UnauthorizedError(`${what} is not the connected zkSSO account`);
    return account;
  };

  const rpc = (chainId: number) => {
    let client = rpcClients.get(chainId);
    if (!client) {
      const chain = options.chains.find((c) => c.id === chainId);
      if (!chain) throw new UnsupportedChainError(chainId, 'switch');
      const transport = options.transports?.[chainId] ?? http();
      client = transport({ chain, retryCount: 0 });
      rpcClients.set(chainId, client);
    }
    return client;
  };

  /** A fresh session key and the spec that names its address as signer. */
  const newSessionKey = (build: (signer: Address) => SessionSpec) => {
    const privateKey = generatePrivateKey();
    const spec = build(privateKeyToAddress(privateKey));
    return { privateKey, spec };
  };

  const storeSession = (privateKey: Hex, chainId: number, grant: ReturnType<typeof verifyGrant>) => {
    const record: SessionRecord = {
      version: 1,
      chainId,
      account: grant.account,
      sessionHash: grant.sessionHash,
      sessionPrivateKey: privateKey,
      spec: grant.granted.grantedPermissions[0]?.data as SessionRecord['spec'],
      createdAt: Number(now()),
    };
    state.sessions = [...state.sessions.filter((s) => s.sessionHash !== record.sessionHash), record];
    persist();
  };

  const activeSessions = (): SessionRecord[] => {
    const t = now();
    return state.sessions.filter(
      (s) => state.account && isAddressEqual(s.account, state.account) && BigInt(s.spec.expiresAt) > t,
    );
  };

  const setConnected = (account: Address, chainId: number) => {
    const chainChanged = chainId !== state.chainId;
    state.account = account;
    state.chainId = chainId;
    persist();
    events.emit('connect', { chainId: numberToHex(chainId) });
    if (chainChanged) events.emit('chainChanged', numberToHex(chainId));
    events.emit('accountsChanged', [account]);
  };

  const disconnect = () => {
    const wasConnected = state.account !== undefined;
    delete state.account;
    // The dapp forgets its session keys; on chain the sessions stay valid until they expire or are revoked.
    state.sessions = [];
    callsById.clear();
    persist();
    communicator?.close();
    if (wasConnected) {
      events.emit('accountsChanged', []);
      events.emit('disconnect', new DisconnectedError());
    }
  };

  // ---- popup methods ----

  const requestAccounts = (): Promise<unknown> => {
    if (state.account) return Promise.resolve([state.account]);
    const chainId = state.chainId;
    let sessionKey: { privateKey: Hex; spec: SessionSpec } | undefined;
    if (options.session) {
      const input = options.session;
      try {
        sessionKey = newSessionKey((signer) => normalizeSession({ ...input, signer }));
      } catch (error) {
        return Promise.reject(new InvalidParamsError(`session option: ${(error as Error).message}`));
      }
    }
    const params = {
      chainId: numberToHex(chainId),
      chains: chainIds.map((id) => numberToHex(id)),
      ...(sessionKey ? { session: grantRequestFor(sessionKey.spec, chainId) } : {}),
    };
    return popup('eth_requestAccounts', [params]).then((result) => {
      const r = result as { accounts?: unknown; chainId?: unknown; permissions?: unknown } | null;
      const account = Array.isArray(r?.accounts) ? r.accounts[0] : undefined;
      if (typeof account !== 'string' || !isAddress(account) || r?.chainId !== numberToHex(chainId))
        throw new PopupError(
          'BAD_AUTH_SERVER_ANSWER',
          'The auth server answered eth_requestAccounts without an account',
        );
      const address = getAddress(account);
      if (sessionKey && r.permissions !== undefined && r.permissions !== null) {
        const grant = verifyGrant(r.permissions, {
          signer: sessionKey.spec.signer,
          chainId,
          account: address,
        });
        storeSession(sessionKey.privateKey, chainId, grant);
      }
      setConnected(address, chainId);
      return [address];
    });
  };

  const grantPermissions = (params: unknown[]): Promise<unknown> => {
    const account = requireAccount();
    const chainId = state.chainId;
    const requested = params[0] as { chainId?: unknown; address?: unknown } | undefined;
    if (
      requested?.chainId !== undefined &&
      parseChainIdParam(requested.chainId, 'wallet_grantPermissions') !== chainId
    )
      throw new UnsupportedChainError(chainId, 'sendCalls');
    if (requested?.address !== undefined)
      requireSameAccount(requested.address, 'wallet_grantPermissions address');
    const key = newSessionKey((signer) => specFromGrantRequest(params[0], signer));
    return popup('wallet_grantPermissions', [grantRequestFor(key.spec, chainId, account)]).then((result) => {
      const grant = verifyGrant(result, { signer: key.spec.signer, chainId, account });
      storeSession(key.privateKey, chainId, grant);
      return grant.granted;
    });
  };

  const revokePermissions = (params: unknown[]): Promise<unknown> => {
    const request = params[0] as { permissionsContext?: unknown; eth_accounts?: unknown } | undefined;
    // EIP-2255 / MetaMask style (`{ eth_accounts: {} }`): the dapp asks to be disconnected.
    if (request && 'eth_accounts' in request) {
      disconnect();
      return Promise.resolve(null);
    }
    requireAccount();
    const context = request?.permissionsContext;
    const session = state.sessions.find(
      (s) => typeof context === 'string' && s.sessionHash === context.toLowerCase(),
    );
    if (!session) throw new InvalidParamsError('wallet_revokePermissions: unknown permissionsContext');
    return popup('wallet_revokePermissions', [
      {
        permissionsContext: session.sessionHash,
        chainId: numberToHex(session.chainId),
        address: session.account,
      },
    ]).then(() => {
      state.sessions = state.sessions.filter((s) => s.sessionHash !== session.sessionHash);
      persist();
      return null;
    });
  };

  const sign = (method: 'personal_sign' | 'eth_signTypedData_v4', params: unknown[]): Promise<unknown> => {
    if (method === 'personal_sign') {
      const [message, address] = params;
      if (typeof message !== 'string')
        throw new InvalidParamsError('personal_sign: params[0] must be a string');
      const account = requireSameAccount(address, 'personal_sign address');
      return popup(method, [message, account, { chainId: numberToHex(state.chainId) }]);
    }
    const [address, typedData] = params;
    const account = requireSameAccount(address, 'eth_signTypedData_v4 address');
    let json: string | undefined;
    try {
      json = typeof typedData === 'string' ? typedData : JSON.stringify(typedData);
    } catch {
      // e.g. a bigint inside: EIP-712 JSON carries numbers as strings or hex.
    }
    if (typeof json !== 'string')
      throw new InvalidParamsError('eth_signTypedData_v4: params[1] must be typed data JSON');
    return popup(method, [account, json, { chainId: numberToHex(state.chainId) }]);
  };

  // ---- sends ----

  const recordCalls = (id: string, chainId: number, outcome: SessionExecution, via: CallsRecord['via']) => {
    callsById.set(id, { chainId, transactionHash: outcome.transactionHash, success: outcome.success, via });
  };

  /** Tries each active session that covers the batch; undefined when none could send it. */
  const trySessions = async (
    chainId: number,
    calls: readonly SessionCall[],
    capabilities: Record<string, unknown> | undefined,
    candidates: SessionRecord[],
  ): Promise<SessionExecution | undefined> => {
    const executor = options.sessionExecutor;
    if (!executor) return undefined;
    for (const session of candidates) {
      const request = { session, chainId, calls, ...(capabilities ? { capabilities } : {}) };
      if (!(await executor.canExecute(request))) continue;
      try {
        return await executor.execute(request);
      } catch (error) {
        if (!isSessionRefusal(error)) {
          const code = (error as { code?: unknown }).code;
          throw new ProviderRpcError(
            PROVIDER_ERROR_CODES.internal,
            (error as Error).message ?? 'Session send failed',
            {
              data: { code: typeof code === 'string' ? code : 'SESSION_SEND_FAILED' },
              cause: error,
            },
          );
        }
        if ((error as { code?: unknown }).code === 'SESSION_NOT_ACTIVE') {
          state.sessions = state.sessions.filter((s) => s.sessionHash !== session.sessionHash);
          persist();
        }
      }
    }
    return undefined;
  };

  /**
   * Sends through a covering session, else the popup. The popup is opened synchronously when no session
   * covers the batch, so the user's click still counts.
   */
  const send = (
    chainId: number,
    calls: readonly SessionCall[],
    capabilities: Record<string, unknown> | undefined,
    toPopup: () => Promise<unknown>,
  ): Promise<SessionExecution & { id?: string; via: CallsRecord['via'] }> => {
    const fromPopup = () =>
      toPopup().then((result) => ({ ...parseSendOutcome(result), via: 'popup' as const }));
    const t = now();
    const candidates = options.sessionExecutor
      ? activeSessions().filter(
          (s) => s.chainId === chainId && sessionFit(sessionSpecFromJson(s.spec), calls, t).ok,
        )
      : [];
    if (candidates.length === 0) return fromPopup();
    return trySessions(chainId, calls, capabilities, candidates).then(
      (outcome): Promise<SessionExecution & { id?: string; via: CallsRecord['via'] }> =>
        outcome ? Promise.resolve({ ...outcome, via: 'session' as const }) : fromPopup(),
    );
  };

  const withPaymaster = (capabilities: Record<string, unknown> | undefined) =>
    options.paymaster && capabilities?.paymasterService === undefined
      ? { ...capabilities, paymasterService: { url: options.paymaster.url } }
      : capabilities;

  const sendTransaction = (params: unknown[]): Promise<unknown> => {
    const tx = params[0] as { from?: unknown; chainId?: unknown } | undefined;
    const account = requireAccount();
    if (tx?.from !== undefined) requireSameAccount(tx.from, 'eth_sendTransaction from');
    const chainId = state.chainId;
    if (tx?.chainId !== undefined && parseChainIdParam(tx.chainId, 'eth_sendTransaction') !== chainId)
      throw new ProviderRpcError(
        PROVIDER_ERROR_CODES.chainDisconnected,
        'eth_sendTransaction: not the current chain',
      );
    const call = parseCall(tx, 'eth_sendTransaction params[0]');
    const capabilities = withPaymaster(undefined);
    const wireTx = { from: account, ...callsToWire([call])[0], chainId: numberToHex(chainId) };
    return send(chainId, [call], capabilities, () =>
      popup('eth_sendTransaction', [wireTx, ...(capabilities ? [{ capabilities }] : [])]),
    ).then((outcome) => {
      recordCalls(outcome.id ?? outcome.userOpHash ?? outcome.transactionHash, chainId, outcome, outcome.via);
      return outcome.transactionHash;
    });
  };

  const sendCalls = (params: unknown[]): Promise<unknown> => {
    const request = params[0] as
      | { from?: unknown; chainId?: unknown; calls?: unknown; id?: unknown; capabilities?: unknown }
      | undefined;
    const account = requireAccount();
    if (!request || typeof request !== 'object')
      throw new InvalidParamsError('wallet_sendCalls: params[0] missing');
    if (request.from !== undefined) requireSameAccount(request.from, 'wallet_sendCalls from');
    const chainId = parseChainIdParam(request.chainId, 'wallet_sendCalls');
    if (!chainIds.includes(chainId)) throw new UnsupportedChainError(chainId, 'sendCalls');
    if (!Array.isArray(request.calls) || request.calls.length === 0)
      throw new InvalidParamsError('wallet_sendCalls: calls must be a non-empty array');
    const calls = request.calls.map((c, i) => parseCall(c, `wallet_sendCalls calls[${i}]`));
    if (request.id !== undefined && (typeof request.id !== 'string' || request.id.length === 0))
      throw new InvalidParamsError('wallet_sendCalls: id must be a string');
    const dappId = request.id as string | undefined;
    if (dappId !== undefined && callsById.has(dappId))
      throw new ProviderRpcError(
        PROVIDER_ERROR_CODES.duplicateId,
        `wallet_sendCalls: id ${dappId} was already used`,
      );
    const given = (request.capabilities ?? undefined) as Record<string, unknown> | undefined;
    for (const [name, capability] of Object.entries(given ?? {})) {
      if (name === 'paymasterService') continue;
      if ((capability as { optional?: unknown } | null)?.optional !== true)
        throw new ProviderRpcError(
          PROVIDER_ERROR_CODES.unsupportedCapability,
          `wallet_sendCalls: capability ${name} is not supported`,
        );
    }
    const capabilities = withPaymaster(
      given?.paymasterService ? { paymasterService: given.paymasterService } : undefined,
    );
    const wire = {
      version: '2.0.0',
      ...(dappId !== undefined ? { id: dappId } : {}),
      from: account,
      chainId: numberToHex(chainId),
      atomicRequired: true,
      calls: callsToWire(calls),
      ...(capabilities ? { capabilities } : {}),
    };
    return send(chainId, calls, capabilities, () => popup('wallet_sendCalls', [wire])).then((outcome) => {
      const id = dappId ?? outcome.id ?? outcome.userOpHash ?? outcome.transactionHash;
      recordCalls(id, chainId, outcome, outcome.via);
      return { id };
    });
  };

  // ---- local methods ----

  const getCallsStatus = async (params: unknown[]): Promise<unknown> => {
    const id = params[0];
    const record = typeof id === 'string' ? callsById.get(id) : undefined;
    if (!record)
      throw new ProviderRpcError(PROVIDER_ERROR_CODES.unknownBundleId, `Unknown calls id ${String(id)}`);
    const receipt = (await rpc(record.chainId).request({
      method: 'eth_getTransactionReceipt',
      params: [record.transactionHash],
    })) as { status: Hex; logs: unknown[]; blockHash: Hex; blockNumber: Hex; gasUsed: Hex } | null;
    // EIP-5792 status: 100 pending, 200 confirmed, 500 reverted (the whole batch is one operation).
    const status = !receipt ? 100 : receipt.status === '0x1' && record.success ? 200 : 500;
    return {
      version: '2.0.0',
      id,
      chainId: numberToHex(record.chainId),
      status,
      atomic: true,
      ...(receipt
        ? {
            receipts: [
              {
                logs: receipt.logs,
                status: record.success ? receipt.status : '0x0',
                blockHash: receipt.blockHash,
                blockNumber: receipt.blockNumber,
                gasUsed: receipt.gasUsed,
                transactionHash: record.transactionHash,
              },
            ],
          }
        : {}),
    };
  };

  const getCapabilities = (params: unknown[]): unknown => {
    const [address, wanted] = params;
    if (address !== undefined && address !== null)
      requireSameAccount(address, 'wallet_getCapabilities address');
    const ids = Array.isArray(wanted)
      ? wanted.map((w) => parseChainIdParam(w, 'wallet_getCapabilities'))
      : chainIds;
    const capabilities: Record<Hex, unknown> = {};
    for (const id of ids.filter((i) => chainIds.includes(i)))
      capabilities[numberToHex(id)] = {
        atomic: { status: 'supported' },
        paymasterService: { supported: true },
        permissions: { supported: true, signerTypes: ['account'], permissionTypes: ['zksso-session'] },
      };
    return capabilities;
  };

  const switchChain = (params: unknown[]): null => {
    const chainId = parseChainIdParam(
      (params[0] as { chainId?: unknown } | undefined)?.chainId,
      'wallet_switchEthereumChain',
    );
    if (!chainIds.includes(chainId)) throw new UnsupportedChainError(chainId, 'switch');
    if (chainId !== state.chainId) {
      state.chainId = chainId;
      persist();
      events.emit('chainChanged', numberToHex(chainId));
    }
    return null;
  };

  const route = (method: string, params: unknown[]): Promise<unknown> | unknown => {
    switch (method) {
      case 'eth_accounts':
        return state.account ? [state.account] : [];
      case 'eth_chainId':
        return numberToHex(state.chainId);
      case 'net_version':
        return String(state.chainId);
      case 'eth_requestAccounts':
        return requestAccounts();
      case 'personal_sign':
      case 'eth_signTypedData_v4':
        return sign(method, params);
      case 'wallet_grantPermissions':
        return grantPermissions(params);
      case 'wallet_revokePermissions':
        return revokePermissions(params);
      case 'wallet_getPermissions':
        requireAccount();
        return activeSessions().map(grantedView);
      case 'wallet_showCallsStatus': {
        const id = params[0];
        if (typeof id !== 'string' || !callsById.has(id))
          throw new ProviderRpcError(PROVIDER_ERROR_CODES.unknownBundleId, `Unknown calls id ${String(id)}`);
        const record = callsById.get(id) as CallsRecord;
        return popup('wallet_showCallsStatus', [
          id,
          { chainId: numberToHex(record.chainId), transactionHash: record.transactionHash },
        ]).then(() => null);
      }
      case 'eth_sendTransaction':
        return sendTransaction(params);
      case 'wallet_sendCalls':
        return sendCalls(params);
      case 'wallet_getCallsStatus':
        return getCallsStatus(params);
      case 'wallet_getCapabilities':
        return getCapabilities(params);
      case 'wallet_switchEthereumChain':
        return switchChain(params);
      case 'wallet_disconnect':
        disconnect();
        return null;
      default:
        if (RPC_METHODS.has(method)) return rpc(state.chainId).request({ method, params });
        throw new UnsupportedMethodError(method);
    }
  };

  return {
    isZkSso: true,
    // Not `async`: a popup method reaches `window.open` in this same call, inside the user's gesture.
    request(args) {
      try {
        if (typeof args?.method !== 'string')
          throw new InvalidParamsError('request: method must be a string');
        return Promise.resolve(route(args.method, asArray(args.params)));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    on: (event, listener) => events.on(event, listener),
    removeListener: (event, listener) => events.removeListener(event, listener),
  };
}
