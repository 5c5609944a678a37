import { expect, test } from 'vitest';
import { poseidon1 } from 'poseidon-lite';

test('poseidon-lite loads', () => {
  expect(typeof poseidon1([1n])).toBe('bigint');
});
