import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeErrorResult, encodeErrorResult, toFunctionSelector } from 'viem';
import { describe, expect, it } from 'vitest';
import { abiDir, contractsDir, renderAbiFiles } from '../scripts/abis.ts';
import { sessionKeyValidatorAbi, zkSsoAccountAbi, zkSsoErrorsAbi } from './index.ts';

// The global setup ran `forge build`, so out/ holds the contracts as they are now.
describe('generated ABIs (src/abi)', () => {
  it('are what the compiled contracts give: run `npm run abis -w @zksso/contracts` when this fails', () => {
    const expected = renderAbiFiles(join(contractsDir, 'out'));
    const committed = new Map(
      readdirSync(abiDir).map((file) => [file, readFileSync(join(abiDir, file), 'utf8')] as const),
    );
    const stale = [...new Set([...expected.keys(), ...committed.keys()])].filter(
      (file) => expected.get(file) !== committed.get(file),
    );
    expect(stale, 'src/abi is stale: run npm run abis -w @zksso/contracts').toEqual([]);
  });

  it('keep the types viem infers from them (function names and error arguments)', () => {
    const execute = zkSsoAccountAbi.find((item) => item.type === 'function' && item.name === 'execute');
    expect(execute && toFunctionSelector(execute)).toBe(toFunctionSelector('execute(bytes32,bytes)'));
    const data = encodeErrorResult({ abi: zkSsoErrorsAbi, errorName: 'RotatedJwk', args: [1n, 2n, 3n] });
    expect(decodeErrorResult({ abi: zkSsoErrorsAbi, data })).toMatchObject({
      errorName: 'RotatedJwk',
      args: [1n, 2n, 3n],
    });
    expect(sessionKeyValidatorAbi.filter((item) => item.type === 'error').length).toBeGreaterThan(15);
  });

  it('list each error of the account, factory, zkLogin/WebAuthn validators and JWK registry once', () => {
    const names = zkSsoErrorsAbi.map((item) => item.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['UnknownJwk', 'InvalidValidator', 'OriginNotAllowed', 'OwnableUnauthorizedAccount'])
      expect(names).toContain(name);
  });
});
