// What the running service writes (stdout and stderr of `cli.ts serve`, the real pino logger at debug level)
// must never contain a token, a salt, the master seed, a subject or an email: the test captures every byte
// the process writes while it answers, refuses and shuts down, then searches it for each secret.
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, spawnCli } from './child.ts';
import { postSalt, randomSeedHex, tokenFor } from './helpers.ts';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startDevIdp();
});
afterAll(async () => {
  await idp?.stop();
});

describe('logs', () => {
  it('never carry tokens, salts, the seed, subjects or emails (derived mode, debug level, SIGTERM)', {
    timeout: 60_000,
  }, async () => {
    const seed = randomSeedHex();
    const child = spawnCli(['serve'], {
      SALT_PORT: '0',
      SALT_MODE: 'derived',
      SALT_MASTER_SEED: seed,
      SALT_ISSUERS: idp.issuer,
      SALT_AUDIENCES: 'zksso-dev',
      SALT_RATE_SUBJECT_BURST: '2',
      LOG_LEVEL: 'debug',
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const stop = () => child.kill('SIGKILL');
    process.once('exit', stop);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const check = () => {
          const line = output.split('\n').find((l) => l.includes('salt service listening'));
          if (line) resolve((JSON.parse(line) as { url: string }).url);
        };
        child.stdout?.on('data', check);
        child.on('exit', (code) => reject(new Error(`exited early (${code}): ${output}`)));
      });
      const alice = await tokenFor(idp, 'alice');
      const bob = await tokenFor(idp, 'bob');
      const ok = await postSalt(url, { token: alice });
      const byEmail = await postSalt(url, { token: bob, keyClaimName: 'email' });
      expect([ok.status, byEmail.status]).toEqual([200, 200]);
      // Refusals log too: a forged token, an unverified email, a rate-limited subject.
      const [header, payload, signature] = alice.split('.') as [string, string, string];
      const forged = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
      expect((await postSalt(url, { token: forged })).status).toBe(401);
      const carol = await tokenFor(idp, 'carol');
      expect((await postSalt(url, { token: carol, keyClaimName: 'email' })).status).toBe(403);
      await postSalt(url, { token: alice });
      expect((await postSalt(url, { token: alice })).status).toBe(429);

      child.kill('SIGTERM');
      expect((await exited(child)).code).toBe(0);
      expect(output).toContain('"msg":"request"'); // the requests were logged (debug level: everything)
      expect(output).toContain('"msg":"stopped"');

      const secrets = [
        ['alice token', alice],
        ['bob token', bob],
        ['carol token', carol],
        ['a token signature', signature],
        ['a token payload', payload],
        ['salt', ok.body.salt],
        ['salt hex', (ok.body.saltHex as string).slice(2).replace(/^0+/, '')],
        ['email salt', byEmail.body.salt],
        ['seed', seed],
        ['seed (upper case)', seed.toUpperCase()],
        ['alice sub', '100000000000000000001'],
        ['bob sub', '100000000000000000002'],
        ['carol sub', '100000000000000000003'],
        ['bob email', 'bob@example.com'],
        ['carol email', 'carol@example.com'],
      ] as const;
      for (const [name, secret] of secrets) {
        expect(output.includes(secret as string), `${name} appears in the logs`).toBe(false);
      }
    } finally {
      process.off('exit', stop);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
