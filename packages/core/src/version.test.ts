import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pad, stringToHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_DEPLOYMENT_SALT, PROTOCOL_VERSION } from './version.ts';

const protocol = readFileSync(fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url)), 'utf8');
const versioning = protocol.slice(protocol.indexOf('## 12. Versioning'), protocol.indexOf('## 13.'));

describe('protocol version (§12.1)', () => {
  it('is the version docs/protocol.md defines', () => {
    expect(PROTOCOL_VERSION).toBe('zksso/v1');
    expect(protocol.startsWith(`# ${PROTOCOL_VERSION} — protocol specification`)).toBe(true);
    expect(versioning).toContain(`**\`${PROTOCOL_VERSION}\`**`);
  });

  it('deployment salt is the version string right-padded to 32 bytes, as printed in §12.1', () => {
    expect(PROTOCOL_DEPLOYMENT_SALT).toBe(pad(stringToHex(PROTOCOL_VERSION), { dir: 'right', size: 32 }));
    expect(versioning).toContain(`\`${PROTOCOL_DEPLOYMENT_SALT.slice(0, 18)}\` followed by 24 zero bytes`);
  });
});
