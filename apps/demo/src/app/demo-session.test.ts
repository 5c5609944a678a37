import { sessionPermission } from '@zksso/sdk/connector';
import { describe, expect, it } from 'vitest';
import { demoSessionOptions, SESSION_BUDGET, SESSION_PAYMENT, SHOP } from './demo-session.ts';

describe('demo session', () => {
  it('is a valid zksso-session permission: three payments to the shop, an hour', () => {
    const now = 1_800_000_000_000;
    const { expiry, permission } = sessionPermission(demoSessionOptions(now));
    expect(expiry).toBe(now / 1000 + 3600);
    expect(permission.type).toBe('zksso-session');
    const [transfer] = permission.data.transferPolicies;
    expect(transfer?.target).toBe(SHOP);
    expect(BigInt(transfer?.maxValuePerUse ?? 0)).toBe(SESSION_PAYMENT);
    expect(BigInt(transfer?.valueLimit.limit ?? 0)).toBe(SESSION_BUDGET);
    expect(SESSION_BUDGET / SESSION_PAYMENT).toBe(3n);
  });
});
