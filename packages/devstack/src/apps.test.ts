import { describe, expect, it } from 'vitest';
import { authServerPublicUrl } from './apps.ts';

describe('authServerPublicUrl', () => {
  it('names the loopback auth server localhost (a WebAuthn relying party id must be a domain)', () => {
    expect(authServerPublicUrl('http://127.0.0.1:5560')).toBe('http://localhost:5560');
    expect(authServerPublicUrl('https://auth.zksso.example/')).toBe('https://auth.zksso.example');
  });
});
