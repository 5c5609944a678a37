import { describe, expect, it } from 'vitest';
import { PopupCommunicator } from './communicator.ts';
import { PopupError, ProviderRpcError, UserRejectedRequestError } from './errors.ts';
import { FakeBrowser, type FakeWindow } from './fake-browser.ts';
import { PopupEndpointError, servePopupRequests } from './popup-endpoint.ts';
import { type RequestMessage, readyMessage, requestMessage, resultMessage } from './protocol.ts';

const DAPP = 'https://dapp.test';
const AUTH = 'https://auth.test';

/** A dapp window, its communicator and a popup served by `handle` (the auth server's side). */
function setup(
  handle: (request: RequestMessage, popup: FakeWindow) => Promise<unknown>,
  options: { timeoutMs?: number } = {},
) {
  const browser = new FakeBrowser();
  const dapp = browser.window(`${DAPP}/shop`);
  const requests: RequestMessage[] = [];
  browser.onOpen = (popup) => {
    servePopupRequests({
      window: popup,
      handle: (request) => {
        requests.push(request);
        return handle(request, popup);
      },
    });
  };
  const communicator = new PopupCommunicator({
    authServerUrl: `${AUTH}/`,
    dapp: { name: 'Shop' },
    window: dapp,
    pollIntervalMs: 5,
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  return { browser, dapp, communicator, requests };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('PopupCommunicator with the popup endpoint', () => {
  it('opens the popup at /popup?origin=, hands shakes, answers, then closes the popup', async () => {
    const { browser, dapp, communicator, requests } = setup(async () => 'signature');
    await expect(communicator.request('personal_sign', ['0x68', '0x01'])).resolves.toBe('signature');
    expect(browser.opened).toHaveLength(1);
    const popup = browser.opened[0] as FakeWindow;
    expect(popup.location.href).toBe(`${AUTH}/popup?origin=${encodeURIComponent(DAPP)}`);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'personal_sign',
      params: ['0x68', '0x01'],
      dapp: { name: 'Shop', origin: DAPP },
    });
    expect(requests[0]?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(popup.closed).toBe(true);
    expect(dapp.listenerCount).toBe(0);
  });

  it('matches answers to requests by id when they come back out of order', async () => {
    const first = deferred<string>();
    const { communicator, requests } = setup((request) =>
      request.method === 'personal_sign' ? first.promise : Promise.resolve('typed'),
    );
    const a = communicator.request('personal_sign', ['0x61', '0x01']);
    const b = communicator.request('eth_signTypedData_v4', ['0x01', '{}']);
    await expect(b).resolves.toBe('typed');
    first.resolve('plain');
    await expect(a).resolves.toBe('plain');
    expect(new Set(requests.map((r) => r.id)).size).toBe(2);
  });

  it('turns an error answer into a ProviderRpcError with its code, message and data', async () => {
    const { communicator } = setup(async () => {
      throw new ProviderRpcError(4100, 'not that account', { data: { account: '0x01' } });
    });
    const error = await communicator.request('personal_sign', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRpcError);
    expect(error).toMatchObject({ code: 4100, message: 'not that account', data: { account: '0x01' } });
  });

  it('answers 4001 as a UserRejectedRequestError, and hides the message of an unexpected exception', async () => {
    const { communicator } = setup(async (request) => {
      if (request.method === 'personal_sign') throw new UserRejectedRequestError('Refused');
      throw new Error('database password is hunter2');
    });
    await expect(communicator.request('personal_sign', [])).rejects.toBeInstanceOf(UserRejectedRequestError);
    const error = await communicator.request('eth_signTypedData_v4', []).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: -32603 });
    expect(String((error as Error).message)).not.toContain('hunter2');
  });

  it('ignores a forged answer from another origin and from another window of the auth origin', async () => {
    const gate = deferred<void>();
    const { browser, dapp, communicator } = setup(async (request, popup) => {
      const evil = browser.window('https://evil.test/');
      evil.postTo(dapp, resultMessage(request.id, 'forged by evil'));
      const otherAuthTab = browser.window(`${AUTH}/account`);
      otherAuthTab.postTo(dapp, resultMessage(request.id, 'forged by another auth tab'), DAPP);
      // A message from the popup window itself but with a foreign origin cannot be made in a browser
      // without navigating; that case is the next test. Malformed data is ignored too, not thrown.
      popup.postTo(dapp, { zksso: 1, type: 'response', id: request.id }, DAPP);
      popup.postTo(dapp, 'not a protocol message', DAPP);
      await tick();
      await tick();
      gate.resolve();
      return 'real';
    });
    await expect(communicator.request('personal_sign', [])).resolves.toBe('real');
    await gate.promise;
  });

  it('ignores the popup once it navigated to another origin (the request then times out)', async () => {
    const { dapp, communicator } = setup(
      async (request, popup) => {
        popup.navigate('https://evil.test/phish');
        popup.postTo(dapp, resultMessage(request.id, 'from the navigated popup'), DAPP);
        return new Promise(() => {});
      },
      { timeoutMs: 200 },
    );
    const error = await communicator.request('personal_sign', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PopupError);
    expect(error).toMatchObject({ code: -32603, reason: 'POPUP_TIMEOUT' });
  });

  it('times out a request the popup never answers, and closes the idle popup', async () => {
    const { browser, communicator } = setup(() => new Promise(() => {}), { timeoutMs: 50 });
    const error = await communicator.request('wallet_sendCalls', [{}]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: -32603, reason: 'POPUP_TIMEOUT', data: { reason: 'POPUP_TIMEOUT' } });
    expect(browser.opened[0]?.closed).toBe(true);
  });

  it('rejects at once with POPUP_BLOCKED when window.open returns null', async () => {
    const { browser, communicator } = setup(async () => 'never');
    browser.blockPopups = true;
    const error = await communicator.request('eth_requestAccounts', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PopupError);
    expect(error).toMatchObject({ reason: 'POPUP_BLOCKED', code: -32603 });
    expect(browser.opened).toHaveLength(0);
  });

  it('rejects every open request with 4001 when the user closes the popup', async () => {
    const { communicator } = setup(async (_request, popup) => {
      popup.closed = true; // the user closes the window instead of answering
      return new Promise(() => {});
    });
    const results = await Promise.allSettled([
      communicator.request('personal_sign', []),
      communicator.request('eth_requestAccounts', []),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(UserRejectedRequestError);
      expect(reason).toMatchObject({ code: 4001, data: { reason: 'POPUP_CLOSED' } });
    }
    expect(communicator.pendingCount).toBe(0);
  });

  it('sends open requests again after a second ready (the popup reloaded) and each is handled once', async () => {
    let served = 0;
    const browser = new FakeBrowser();
    const dapp = browser.window(DAPP);
    browser.onOpen = (popup) => {
      // First load: takes the request, then the page reloads (same origin) before answering.
      servePopupRequests({
        window: popup,
        handle: async () => {
          served++;
          popup.navigate(popup.location.href);
          servePopupRequests({
            window: popup,
            handle: async () => {
              served++;
              return 'after reload';
            },
          });
          return new Promise(() => {});
        },
      });
    };
    const communicator = new PopupCommunicator({ authServerUrl: AUTH, dapp: { name: 'Shop' }, window: dapp });
    await expect(communicator.request('personal_sign', [])).resolves.toBe('after reload');
    expect(served).toBe(2);
  });
});

describe('servePopupRequests (the auth server side)', () => {
  it('posts ready only to the origin in its URL: an opener that lied about its origin hears nothing', async () => {
    const browser = new FakeBrowser();
    const evil = browser.window('https://evil.test');
    const heard: unknown[] = [];
    evil.addEventListener('message', (event) => heard.push(event.data));
    browser.onOpen = (popup) => servePopupRequests({ window: popup, handle: async () => 'x' });
    evil.open(`${AUTH}/popup?origin=${encodeURIComponent(DAPP)}`);
    await tick();
    await tick();
    expect(heard).toEqual([]);
  });

  it('answers only its opener at the exact dapp origin, and only when dapp.origin agrees', async () => {
    const browser = new FakeBrowser();
    const dapp = browser.window(DAPP);
    const heard: unknown[] = [];
    dapp.addEventListener('message', (event) => heard.push(event.data));
    const handled: string[] = [];
    const popup = dapp.open(`${AUTH}/popup?origin=${encodeURIComponent(DAPP)}`);
    expect(popup).not.toBeNull();
    const popupWindow = browser.opened[0] as FakeWindow;
    servePopupRequests({
      window: popupWindow,
      handle: async (request) => {
        handled.push(request.id);
        return 'ok';
      },
    });
    const info = { name: 'Shop', origin: DAPP };
    // Another window at the dapp origin (not the opener) and a lying dapp.origin are both ignored.
    browser
      .window(DAPP)
      .postTo(popupWindow, requestMessage('fromanothertab1', 'personal_sign', [], info), AUTH);
    dapp.postTo(
      popupWindow,
      requestMessage('lyingorigin0001', 'personal_sign', [], { ...info, origin: 'https://other.test' }),
      AUTH,
    );
    dapp.postTo(popupWindow, requestMessage('theopener000001', 'personal_sign', [], info), AUTH);
    dapp.postTo(popupWindow, requestMessage('theopener000001', 'personal_sign', [], info), AUTH);
    for (let i = 0; i < 4; i++) await tick();
    expect(handled).toEqual(['theopener000001']);
    expect(heard).toEqual([readyMessage(), resultMessage('theopener000001', 'ok')]);
  });

  it('refuses to start without an opener or without an exact dapp origin', () => {
    const browser = new FakeBrowser();
    expect(() =>
      servePopupRequests({ window: browser.window(`${AUTH}/popup`), handle: async () => 1 }),
    ).toThrow(PopupEndpointError);
    const dapp = browser.window(DAPP);
    dapp.open(`${AUTH}/popup?origin=${encodeURIComponent(`${DAPP}/path`)}`);
    const popup = browser.opened[0] as FakeWindow;
    expect(() => servePopupRequests({ window: popup, handle: async () => 1 })).toThrow(
      expect.objectContaining({ code: 'BAD_DAPP_ORIGIN' }),
    );
  });
});
