// The README's configuration table lists exactly the environment variables the source reads, each with a default.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  environmentVariablesDocumented,
  environmentVariablesRead,
} from '../../../scripts/test-support/readme-config.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README configuration table', () => {
  it('documents exactly the environment variables the source reads, each with a default', () => {
    const documented = environmentVariablesDocumented(packageDir);
    expect([...documented.keys()].sort()).toEqual(environmentVariablesRead(packageDir));
    for (const [name, defaultCell] of documented) expect(defaultCell, name).not.toBe('');
  });
});
