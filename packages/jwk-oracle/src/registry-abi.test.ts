import { type AbiItem, toFunctionSignature } from 'viem';
import { describe, expect, it } from 'vitest';
import { jwkRegistryArtifact } from '../test/harness.ts';
import { jwkRegistryAbi } from './registry-abi.ts';

// The oracle carries its own copy of the JwkRegistry ABI so it runs without the contracts' build output;
// this keeps that copy equal to what the Solidity source compiles to.

/** `function f(uint256)`, `event E(uint256)`, `error X(uint256)`. */
const signatureOf = (item: AbiItem): string =>
  `${item.type} ${toFunctionSignature(item as never).replace(/^error /, '')}`;

/** Errors only the constructor or an owner transfer raise (EIP712's name/version, Ownable's new owner). */
const NOT_ORACLE_FACING = new Set([
  'error InvalidShortString()',
  'error StringTooLong(string)',
  'error OwnableInvalidOwner(address)',
]);

describe('jwkRegistryAbi', () => {
  it('matches the compiled JwkRegistry: every item exists with the same outputs, no runtime error is missing', async () => {
    const compiled = ((await jwkRegistryArtifact()).abi as readonly AbiItem[]).filter(
      (item) => 'name' in item,
    );
    const bySignature = new Map(compiled.map((item) => [signatureOf(item), item]));
    const own = jwkRegistryAbi as readonly AbiItem[];
    for (const item of own) {
      const key = signatureOf(item);
      const other = bySignature.get(key);
      expect(other, `${key} is not in the compiled JwkRegistry`).toBeDefined();
      if (item.type === 'function' && other?.type === 'function') {
        expect(
          item.outputs.map((o) => o.type),
          `${key} outputs`,
        ).toEqual(other.outputs.map((o) => o.type));
        expect(item.stateMutability, `${key} mutability`).toBe(other.stateMutability);
      }
    }
    const ownSignatures = new Set(own.map(signatureOf));
    const missingErrors = compiled
      .filter((item) => item.type === 'error')
      .map(signatureOf)
      .filter((signature) => !ownSignatures.has(signature) && !NOT_ORACLE_FACING.has(signature));
    expect(missingErrors).toEqual([]);
  });
});
