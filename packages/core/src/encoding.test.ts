import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64UrlToBytes, bytesToBase64Url, utf8ToBytes } from './encoding.ts';
import { InvalidBase64UrlError } from './errors.ts';

describe('base64url', () => {
  it('matches Node Buffer base64url (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const expected = Buffer.from(bytes).toString('base64url');
        return bytesToBase64Url(bytes) === expected;
      }),
    );
  });

  it('round-trips (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const back = base64UrlToBytes(bytesToBase64Url(bytes));
        return back.length === bytes.length && back.every((x, i) => x === bytes[i]);
      }),
    );
  });

  it('uses - and _', () => {
    expect(bytesToBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(Array.from(base64UrlToBytes('-_8'))).toEqual([0xfb, 0xff]);
  });

  it.each(['ab+c', 'ab/c', 'abc=', 'ab c', 'a', 'abcde', 'é', '-_9'])(
    'refuses %j with BAD_BASE64URL',
    (bad) => {
      expect(() => base64UrlToBytes(bad)).toThrow(InvalidBase64UrlError);
      expect(() => base64UrlToBytes(bad)).toThrow(expect.objectContaining({ code: 'BAD_BASE64URL' }));
    },
  );

  it('utf8ToBytes encodes UTF-8', () => {
    expect(Array.from(utf8ToBytes('é'))).toEqual([0xc3, 0xa9]);
  });
});
