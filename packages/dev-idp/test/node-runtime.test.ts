// Node 20.19+ is supported (root package.json engines) and tested: oidc-provider's "Unsupported runtime"
// notice is a false alarm there, so the dev IdP leaves it out. Real child processes: the notice is printed
// at import time, once per process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTestedNode20 } from '../src/load-provider.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function runModule(source: string): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('the Node runtime notice of oidc-provider', () => {
  it('runs on the Node version the project supports (>= 20.19)', () => {
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect((major as number) > 20 || ((major as number) === 20 && (minor as number) >= 19)).toBe(true);
    expect(isTestedNode20('20.19.0')).toBe(true);
    expect(isTestedNode20('20.18.3')).toBe(false);
    expect(isTestedNode20('22.12.0')).toBe(false);
  });

  it('is left out when the dev IdP starts on the Node 20 it supports; other warnings pass through', {
    timeout: 120_000,
  }, () => {
    // Without the dev IdP's loader, oidc-provider does print it on this Node: the check below can fail.
    const bare = runModule("await import('oidc-provider');");
    expect(bare.status).toBe(0);
    expect(bare.stderr).toContain('Unsupported runtime');

    const viaIdp = runModule(
      [
        "const { startDevIdp } = await import('./src/index.ts');",
        'const idp = await startDevIdp();',
        "console.warn('oidc-provider WARNING: another warning');",
        'await idp.stop();',
        "console.log('started and stopped');",
      ].join('\n'),
    );
    expect(viaIdp.status, viaIdp.stderr).toBe(0);
    expect(viaIdp.stdout).toContain('started and stopped');
    expect(viaIdp.stderr).not.toContain('Unsupported runtime');
    expect(viaIdp.stderr).toContain('another warning');
  });
});
