import { describe, expect, it } from 'vitest';
import {
  dappOriginFromPopupUrl,
  errorMessage,
  exactOrigin,
  newRequestId,
  parseMessage,
  popupUrl,
  readyMessage,
  requestMessage,
  resultMessage,
} from './protocol.ts';

const dapp = { name: 'Shop', icon: 'https://shop.example/icon.png', origin: 'https://shop.example' };
const id = 'a1b2c3d4e5f60718';

describe('parseMessage', () => {
  it('accepts the four well-formed messages as they are built', () => {
    for (const message of [
      readyMessage(),
      requestMessage(id, 'personal_sign', ['0x68', '0x0000000000000000000000000000000000000001'], dapp),
      resultMessage(id, { accounts: [] }),
      errorMessage(id, { code: 4001, message: 'no', data: { why: 'x' } }),
    ])
      expect(parseMessage(structuredClone(message))).toEqual(message);
  });

  it('fills a missing params with [] and a missing result with null', () => {
    expect(
      parseMessage({ zksso: 1, type: 'request', id, method: 'eth_requestAccounts', dapp }),
    ).toMatchObject({
      params: [],
    });
    expect(resultMessage(id, undefined)).toMatchObject({ result: null });
  });

  it.each([
    ['not an object', 'hello'],
    ['null', null],
    ['an array', [1]],
    ['another version', { zksso: 2, type: 'ready' }],
    ['no version', { type: 'ready' }],
    ['an unknown type', { zksso: 1, type: 'hello' }],
    ['a short id', { zksso: 1, type: 'response', id: 'abc', result: 1 }],
    ['an id with odd characters', { zksso: 1, type: 'response', id: 'abcdefgh<script>', result: 1 }],
    [
      'both result and error',
      { zksso: 1, type: 'response', id, result: 1, error: { code: 1, message: 'x' } },
    ],
    ['neither result nor error', { zksso: 1, type: 'response', id }],
    [
      'an error without a numeric code',
      { zksso: 1, type: 'response', id, error: { code: '4001', message: 'x' } },
    ],
    ['an error without message', { zksso: 1, type: 'response', id, error: { code: 4001 } }],
    [
      'a method the popup does not answer',
      { ...requestMessage(id, 'personal_sign', [], dapp), method: 'eth_sign' },
    ],
    ['params that are not an array', { ...requestMessage(id, 'personal_sign', [], dapp), params: { a: 1 } }],
    ['no dapp', { zksso: 1, type: 'request', id, method: 'personal_sign', params: [] }],
    ['a dapp without name', { ...requestMessage(id, 'personal_sign', [], { ...dapp, name: '' }) }],
    [
      'a dapp origin with a path',
      requestMessage(id, 'personal_sign', [], { ...dapp, origin: 'https://shop.example/a' }),
    ],
    ['a javascript: icon', requestMessage(id, 'personal_sign', [], { ...dapp, icon: 'javascript:alert(1)' })],
  ])('ignores %s', (_what, data) => {
    expect(parseMessage(data)).toBeUndefined();
  });

  it('accepts a data:image icon', () => {
    const message = requestMessage(id, 'personal_sign', [], { ...dapp, icon: 'data:image/svg+xml,<svg/>' });
    expect(parseMessage(message)).toEqual(message);
  });
});

describe('origins and URLs', () => {
  it('exactOrigin accepts only http(s) origins written exactly', () => {
    expect(exactOrigin('https://shop.example')).toBe('https://shop.example');
    expect(exactOrigin('http://127.0.0.1:5173')).toBe('http://127.0.0.1:5173');
    for (const bad of ['https://shop.example/', 'https://Shop.example', 'ftp://x.example', 'null', '', 42])
      expect(exactOrigin(bad)).toBeUndefined();
  });

  it('popupUrl puts the dapp origin in the query, under the auth server path, and the popup reads it back', () => {
    const url = popupUrl('https://auth.example/zksso/?x=1#h', 'https://shop.example');
    expect(url).toBe('https://auth.example/zksso/popup?origin=https%3A%2F%2Fshop.example');
    expect(dappOriginFromPopupUrl(url)).toBe('https://shop.example');
    expect(dappOriginFromPopupUrl('https://auth.example/popup')).toBeUndefined();
    expect(
      dappOriginFromPopupUrl('https://auth.example/popup?origin=https://shop.example/path'),
    ).toBeUndefined();
  });

  it('newRequestId gives distinct 32-hex-digit ids that parse', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newRequestId()));
    expect(ids.size).toBe(100);
    for (const value of ids) expect(value).toMatch(/^[0-9a-f]{32}$/);
    expect(parseMessage(resultMessage(newRequestId(), 1))).toBeDefined();
  });
});
