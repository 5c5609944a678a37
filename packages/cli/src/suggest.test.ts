import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.ts';
import { editDistance, nearestCommand } from './suggest.ts';

const NAMES = COMMANDS.map((c) => c.name);

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one edit each', () => {
    expect(editDistance('send', 'send')).toBe(0);
    expect(editDistance('sned', 'send')).toBe(1);
    expect(editDistance('sen', 'send')).toBe(1);
    expect(editDistance('sendd', 'send')).toBe(1);
    expect(editDistance('sand', 'send')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('nearestCommand', () => {
  it('suggests the command a typo meant, one word or two', () => {
    expect(nearestCommand(['sned', '--to', '0x1'], NAMES)).toBe('send');
    expect(nearestCommand(['lgoin'], NAMES)).toBe('login');
    expect(nearestCommand(['adress'], NAMES)).toBe('address');
    expect(nearestCommand(['session', 'lsit'], NAMES)).toBe('session list');
    expect(nearestCommand(['sesion', 'create'], NAMES)).toBe('session create');
    expect(nearestCommand(['session', 'revok', '0x12'], NAMES)).toBe('session revoke');
  });

  it('suggests nothing for a word far from every command', () => {
    expect(nearestCommand(['frobnicate'], NAMES)).toBeUndefined();
    expect(nearestCommand(['x'], NAMES)).toBeUndefined();
    expect(nearestCommand(['session', 'zzz'], NAMES)).toBeUndefined();
  });
});
