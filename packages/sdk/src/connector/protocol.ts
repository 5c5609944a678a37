/**
 * The zkSSO popup protocol (docs/popup-protocol.md): the messages a dapp page and the auth server's popup
 * exchange with `postMessage`, and their validation. Parsing never throws: a malformed message is
 * `undefined`, so a page's other `message` traffic (or an attacker's) cannot break either side.
 */

/** The protocol version, carried in every message as `zksso: 1`. */
export const PROTOCOL_VERSION = 1 as const;

/** Path of the popup page under the auth server's URL. */
export const POPUP_PATH = '/popup';

/**
 * The methods the dapp sends to the popup (everything that needs the user or the account's owner key).
 *
 * @example
 * ```ts
 * isPopupMethod('personal_sign'); // true
 * ```
 */
export const POPUP_METHODS = [
  'eth_requestAccounts',
  'eth_sendTransaction',
  'wallet_sendCalls',
  'wallet_showCallsStatus',
  'personal_sign',
  'eth_signTypedData_v4',
  'wallet_grantPermissions',
  'wallet_revokePermissions',
] as const;

/** A method the popup answers. @example `const m: PopupMethod = 'wallet_sendCalls';` */
export type PopupMethod = (typeof POPUP_METHODS)[number];

/** Is `method` one of {@link POPUP_METHODS}? @example `isPopupMethod('eth_chainId'); // false` */
export function isPopupMethod(method: unknown): method is PopupMethod {
  return typeof method === 'string' && (POPUP_METHODS as readonly string[]).includes(method);
}

/**
 * Who is asking, as shown on the popup's approval screens. `origin` is the dapp page's origin; the popup
 * must check that it equals the `event.origin` the browser reports (a page can write anything here).
 *
 * @example
 * ```ts
 * const dapp: DappInfo = { name: 'Shop', icon: 'https://shop.example/icon.png', origin: 'https://shop.example' };
 * ```
 */
export interface DappInfo {
  name: string;
  icon?: string;
  origin: string;
}

/** The popup is loaded and listening (popup → opener). @example `const m: ReadyMessage = readyMessage();` */
export interface ReadyMessage {
  zksso: typeof PROTOCOL_VERSION;
  type: 'ready';
}

/**
 * One request (dapp → popup). `params` is the EIP-1193 `params` array, JSON values only.
 *
 * @example
 * ```ts
 * const m: RequestMessage = requestMessage(newRequestId(), 'personal_sign', ['0x68690a', account], dapp);
 * ```
 */
export interface RequestMessage {
  zksso: typeof PROTOCOL_VERSION;
  type: 'request';
  id: string;
  method: PopupMethod;
  params: readonly unknown[];
  dapp: DappInfo;
}

/** An EIP-1193 error as plain data. @example `const e: WireError = { code: 4001, message: 'Refused' };` */
export interface WireError {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * The answer to one request (popup → dapp): `result` or `error`, never both.
 *
 * @example
 * ```ts
 * const ok: ResponseMessage = resultMessage(request.id, '0x…signature');
 * const no: ResponseMessage = errorMessage(request.id, { code: 4001, message: 'Refused' });
 * ```
 */
export type ResponseMessage =
  | { zksso: typeof PROTOCOL_VERSION; type: 'response'; id: string; result: unknown }
  | { zksso: typeof PROTOCOL_VERSION; type: 'response'; id: string; error: WireError };

/** Any protocol message. @example `const m: ProtocolMessage | undefined = parseMessage(event.data);` */
export type ProtocolMessage = ReadyMessage | RequestMessage | ResponseMessage;

const ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;
const MAX_NAME_LENGTH = 200;
const MAX_ICON_LENGTH = 65_536;

/** @example `readyMessage(); // { zksso: 1, type: 'ready' }` */
export function readyMessage(): ReadyMessage {
  return { zksso: PROTOCOL_VERSION, type: 'ready' };
}

/** @example `requestMessage(newRequestId(), 'eth_requestAccounts', [], dapp)` */
export function requestMessage(
  id: string,
  method: PopupMethod,
  params: readonly unknown[],
  dapp: DappInfo,
): RequestMessage {
  return { zksso: PROTOCOL_VERSION, type: 'request', id, method, params, dapp };
}

/** @example `resultMessage(id, { accounts: [address], chainId: '0x7a69' })` */
export function resultMessage(id: string, result: unknown): ResponseMessage {
  return { zksso: PROTOCOL_VERSION, type: 'response', id, result: result ?? null };
}

/** @example `errorMessage(id, { code: 4001, message: 'The user refused' })` */
export function errorMessage(id: string, error: WireError): ResponseMessage {
  const wire: WireError = { code: error.code, message: error.message };
  if (error.data !== undefined) wire.data = error.data;
  return { zksso: PROTOCOL_VERSION, type: 'response', id, error: wire };
}

/**
 * A random request id: 128 bits as 32 hex characters, from `crypto.getRandomValues` (present in every
 * browser, secure context or not, and in Node).
 *
 * @example
 * ```ts
 * newRequestId(); // '9f86d081884c7d659a2feaa0c55ad015'
 * ```
 */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The origin of an `http(s)` URL written exactly as an origin (`https://shop.example`, no path, no
 * trailing slash), else `undefined`.
 *
 * @example
 * ```ts
 * exactOrigin('https://shop.example'); // 'https://shop.example'
 * exactOrigin('https://shop.example/'); // undefined
 * ```
 */
export function exactOrigin(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.origin === value ? value : undefined;
  } catch {
    return undefined;
  }
}

/** An icon the popup may show: an http(s) URL or a `data:image/…` URI (never `javascript:`). */
function isIcon(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_ICON_LENGTH) return false;
  if (value.startsWith('data:image/')) return true;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function parseDapp(value: unknown): DappInfo | undefined {
  if (!isRecord(value)) return undefined;
  const { name, icon, origin } = value;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) return undefined;
  if (icon !== undefined && !isIcon(icon)) return undefined;
  const exact = exactOrigin(origin);
  if (!exact) return undefined;
  return icon === undefined ? { name, origin: exact } : { name, icon, origin: exact };
}

function parseWireError(value: unknown): WireError | undefined {
  if (!isRecord(value)) return undefined;
  const { code, message, data } = value;
  if (!Number.isSafeInteger(code) || typeof message !== 'string') return undefined;
  return data === undefined ? { code: code as number, message } : { code: code as number, message, data };
}

/**
 * Validates `event.data` as a protocol message. Anything else (another library's messages, a wrong
 * version, a missing field, both `result` and `error`) gives `undefined`, never an exception.
 *
 * @example
 * ```ts
 * window.addEventListener('message', (event) => {
 *   const message = parseMessage(event.data);
 *   if (message?.type === 'response') settle(message);
 * });
 * ```
 */
export function parseMessage(data: unknown): ProtocolMessage | undefined {
  if (!isRecord(data) || data.zksso !== PROTOCOL_VERSION) return undefined;
  switch (data.type) {
    case 'ready':
      return readyMessage();
    case 'request': {
      const { id, method, params, dapp } = data;
      if (typeof id !== 'string' || !ID_PATTERN.test(id) || !isPopupMethod(method)) return undefined;
      if (params !== undefined && !Array.isArray(params)) return undefined;
      const parsedDapp = parseDapp(dapp);
      if (!parsedDapp) return undefined;
      return requestMessage(id, method, (params as unknown[] | undefined) ?? [], parsedDapp);
    }
    case 'response': {
      const { id } = data;
      if (typeof id !== 'string' || !ID_PATTERN.test(id)) return undefined;
      const hasResult = 'result' in data;
      const hasError = 'error' in data;
      if (hasResult === hasError) return undefined;
      if (hasResult) return resultMessage(id, data.result);
      const error = parseWireError(data.error);
      return error ? errorMessage(id, error) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The popup's URL for a dapp at `dappOrigin`: `<authServerUrl>/popup?origin=<dappOrigin>`. The popup
 * posts its `ready` message to that origin only, so a page that lies about its origin hears nothing.
 *
 * @example
 * ```ts
 * popupUrl('https://auth.zksso.example', 'https://shop.example');
 * // 'https://auth.zksso.example/popup?origin=https%3A%2F%2Fshop.example'
 * ```
 */
export function popupUrl(authServerUrl: string, dappOrigin: string): string {
  const url = new URL(authServerUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${POPUP_PATH}`;
  url.search = '';
  url.hash = '';
  url.searchParams.set('origin', dappOrigin);
  return url.toString();
}

/**
 * The popup side: the dapp origin named in the popup's own URL (`?origin=`), exact or `undefined`.
 *
 * @example
 * ```ts
 * const dappOrigin = dappOriginFromPopupUrl(window.location.href);
 * if (!dappOrigin) showError('This page must be opened by a dapp');
 * ```
 */
export function dappOriginFromPopupUrl(href: string): string | undefined {
  try {
    return exactOrigin(new URL(href).searchParams.get('origin') ?? undefined);
  } catch {
    return undefined;
  }
}
