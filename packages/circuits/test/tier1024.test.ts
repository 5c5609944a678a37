// The real zkLogin circuit at the 1,024-byte tier, end to end: compile + DEVELOPMENT KEY setup (cached in
// ZKSSO_CACHE_DIR), a Google-shaped RS256 token signed here, inputs from buildZkLoginInputs, a snarkjs proof
// in protocol §10's encoding, verified off chain. Slow on a first run (compile + setup: several minutes).
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTierArtifacts, type TierArtifacts } from '../src/artifacts/cache.ts';
import { buildZkLoginInputs } from '../src/inputs/index.ts';
import { encodePublicSignals } from '../src/prover/encoding.ts';
import { proveZkLogin, verifyZkLogin } from '../src/prover/zklogin.ts';
import { formatProgress } from '../src/setup/progress.ts';
import { groth16Domain } from '../src/tiers.ts';
import {
  EPHEMERAL_KEY,
  EXPIRY,
  makeRsaKey,
  providerTokens,
  RANDOMNESS,
  SALT,
  signJwt,
} from './circuit/fixtures.ts';

const TIER = 1024;

describe(`zkLogin tier ${TIER} (real circuit, development key)`, () => {
  let artifacts: TierArtifacts;

  // The first build (compile + setup) runs under the hook timeout (60 min, for a cold machine), the proof under the test's.
  beforeAll(async () => {
    let lastPrinted = -1;
    artifacts = await ensureTierArtifacts(TIER, {
      log: (line) => console.log(line),
      onProgress: (p) => {
        const percent = Math.floor(p.fraction * 20) * 5;
        if (percent !== lastPrinted) console.log(formatProgress(p));
        lastPrinted = percent;
      },
    });
  });

  it('proves a Google-shaped token and verifies the encoded proof; a changed public input fails', async () => {
    expect(artifacts.keyType).toBe('development');
    expect(artifacts.vkey.nPublic).toBe(6);
    // The tier is shaped to prove in a 2^20 domain: one row more would double the FFTs and the H MSM.
    expect(groth16Domain(artifacts.constraints, artifacts.vkey.nPublic).power).toBe(20);

    const google = providerTokens().find((t) => t.provider === 'google');
    if (!google) throw new Error('no google token shape in fixtures');
    const key = makeRsaKey();
    const jwt = signJwt(google.header, google.payload, key);
    const built = buildZkLoginInputs({
      jwt,
      salt: SALT,
      ephemeralPublicKey: EPHEMERAL_KEY,
      expiry: EXPIRY,
      randomness: RANDOMNESS,
      jwk: key.jwk,
      tier: TIER,
    });

    const result = await proveZkLogin({ artifacts, input: built.inputs, vkey: artifacts.vkey });
    expect(result.proof).toMatch(/^0x[0-9a-f]{512}$/);
    // The proof's public inputs are exactly §8's, computed independently by the input builder.
    expect(result.publicInputs).toEqual(encodePublicSignals(built.publicInputs));
    expect(await verifyZkLogin({ vkey: artifacts.vkey, ...result })).toBe(true);

    const otherExpiry = [...result.publicInputs];
    otherExpiry[4] = encodePublicSignals([EXPIRY + 1n])[0] as `0x${string}`;
    expect(
      await verifyZkLogin({ vkey: artifacts.vkey, proof: result.proof, publicInputs: otherExpiry }),
    ).toBe(false);
  });
});
