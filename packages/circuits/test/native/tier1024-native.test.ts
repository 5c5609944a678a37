// The real zkLogin circuit at tier 1024 proved by the native engine (development key, cached in
// ZKSSO_CACHE_DIR; a first run compiles and sets it up: minutes): the proof verifies with snarkjs, its
// public inputs are protocol §8's, and two proofs of one token differ (fresh r, s) yet both verify.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTierArtifacts, type TierArtifacts } from '../../src/artifacts/cache.ts';
import { buildZkLoginInputs } from '../../src/inputs/index.ts';
import { encodePublicSignals } from '../../src/prover/encoding.ts';
import { nativeEngine } from '../../src/prover/native-engine.ts';
import { proveZkLogin, verifyZkLogin } from '../../src/prover/zklogin.ts';
import {
  EPHEMERAL_KEY,
  EXPIRY,
  makeRsaKey,
  providerTokens,
  RANDOMNESS,
  SALT,
  signJwt,
} from '../circuit/fixtures.ts';
import { buildNativeProver } from './native-fixtures.ts';

const TIER = 1024;

describe(`native engine, zkLogin tier ${TIER} (real circuit, development key)`, () => {
  let artifacts: TierArtifacts;

  beforeAll(async () => {
    buildNativeProver();
    artifacts = await ensureTierArtifacts(TIER, { log: (line) => console.log(line) });
  });

  it('proves a Google-shaped token; snarkjs verifies it; a second proof differs and verifies too', async () => {
    const google = providerTokens().find((t) => t.provider === 'google');
    if (!google) throw new Error('no google token shape in fixtures');
    const key = makeRsaKey();
    const built = buildZkLoginInputs({
      jwt: signJwt(google.header, google.payload, key),
      salt: SALT,
      ephemeralPublicKey: EPHEMERAL_KEY,
      expiry: EXPIRY,
      randomness: RANDOMNESS,
      jwk: key.jwk,
      tier: TIER,
    });

    // vkey: proveZkLogin self-verifies with snarkjs before answering.
    const one = await proveZkLogin({
      artifacts,
      input: built.inputs,
      vkey: artifacts.vkey,
      engine: nativeEngine,
    });
    expect(one.publicInputs).toEqual(encodePublicSignals(built.publicInputs));
    expect(await verifyZkLogin({ vkey: artifacts.vkey, ...one })).toBe(true);

    const two = await proveZkLogin({
      artifacts,
      input: built.inputs,
      vkey: artifacts.vkey,
      engine: nativeEngine,
    });
    expect(two.proof).not.toBe(one.proof);
    expect(await verifyZkLogin({ vkey: artifacts.vkey, ...two })).toBe(true);

    const otherExpiry = [...one.publicInputs];
    otherExpiry[4] = encodePublicSignals([EXPIRY + 1n])[0] as `0x${string}`;
    expect(await verifyZkLogin({ vkey: artifacts.vkey, proof: one.proof, publicInputs: otherExpiry })).toBe(
      false,
    );
  });
});
