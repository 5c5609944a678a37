import { describe, expect, it } from 'vitest';
import { describeError } from './errors.ts';

describe('describeError', () => {
  it('finds the provider code and reason under wagmi/viem wrappers', () => {
    const provider = Object.assign(new Error('The user closed the zkSSO window'), {
      code: 4001,
      data: { reason: 'POPUP_CLOSED' },
    });
    const wrapped = Object.assign(new Error('outer'), {
      shortMessage: 'User rejected the request.',
      cause: provider,
    });
    expect(describeError(wrapped)).toEqual({
      code: 4001,
      reason: 'POPUP_CLOSED',
      message: 'You closed the zkSSO window or refused.',
    });
  });

  it('explains a blocked pop-up by its reason, and keeps unknown messages', () => {
    const blocked = Object.assign(new Error('blocked'), { code: -32603, data: { reason: 'POPUP_BLOCKED' } });
    expect(describeError(blocked).message).toMatch(/allow pop-ups/);
    expect(describeError(new Error('boom'))).toEqual({ message: 'boom' });
    expect(describeError('text')).toEqual({ message: 'text' });
  });
});
