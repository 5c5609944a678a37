// What an app sees through the SDK on a real dev stack: the time of each login step (token, salt, proof,
// address), the wall time of each kind of user operation with its steps (prepare: gas and price; check: the
// calls run against the current state; submit: signed and accepted by the bundler; receipt: until included)
// and its gas. One login: a real proof takes seconds with the native engine (about a minute with snarkjs) on
// 2 cores. For comparison, key-only sends are
// also timed the way the SDK sent before its polling was tuned per network (viem's default 4 s receipt
// polling, no pre-send check).
// Writes bench/results/sdk.json at the repository root.
//   npm run bench -w @zksso/sdk
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type Hex, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createSession } from '../src/actions/createSession.ts';
import { createZkLoginAccount } from '../src/actions/createZkLoginAccount.ts';
import { revokeSession } from '../src/actions/revokeSession.ts';
import { sendCalls } from '../src/actions/sendCalls.ts';
import { sendSessionCalls } from '../src/actions/sendSessionCalls.ts';
import { createZkSsoClients } from '../src/clients.ts';
import { pollingIntervalOf } from '../src/network.ts';
import type { SendStep } from '../src/submit.ts';
import { startSdkTestStack } from '../test/stack.ts';

/** How many times each repeated operation is timed (the median is reported). */
const REPEAT = 3;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// A stack of its own: the shared one exists only under Vitest (its global setup).
const t = await startSdkTestStack({ own: true });
try {
  const { publicClient, bundlerClient } = await createZkSsoClients(t.network);
  const gasOf = async (userOpHash: Hex) => {
    const receipt = await bundlerClient.getUserOperationReceipt({ hash: userOpHash });
    return {
      actualGasUsed: Number(receipt.actualGasUsed),
      transactionGasUsed: Number(receipt.receipt.gasUsed),
    };
  };

  const stepMs: Record<string, number> = {};
  let last = performance.now();
  let current = 'start';
  const started = last;
  const { account } = await createZkLoginAccount({
    network: t.network,
    source: { kind: 'dev', user: 'alice' },
    onProgress: (step) => {
      const now = performance.now();
      stepMs[current] = Math.round(now - last);
      current = step;
      last = now;
    },
  });
  stepMs[current] = Math.round(performance.now() - last);
  const loginMs = Math.round(performance.now() - started);

  await t.fund(account.address, '1');
  const to = privateKeyToAccount(generatePrivateKey()).address;

  /** Times one operation: its wall time, each step's, and (for a user operation hash) its gas. */
  const timed = async <R>(
    work: (onStep: (step: SendStep, ms: number) => void) => Promise<R & { userOpHash?: Hex }>,
  ) => {
    const steps: Partial<Record<SendStep, number>> = {};
    const t0 = performance.now();
    const result = await work((step, ms) => {
      steps[step] = Math.round(ms);
    });
    const ms = Math.round(performance.now() - t0);
    return { ms, steps, ...(result.userOpHash ? await gasOf(result.userOpHash) : {}) };
  };
  const median = async (work: () => Promise<{ ms: number }>) => {
    const runs: Awaited<ReturnType<typeof work>>[] = [];
    for (let i = 0; i < REPEAT; i++) runs.push(await work());
    const sorted = [...runs].sort((a, b) => a.ms - b.ms);
    return { ...sorted[Math.floor(REPEAT / 2)], runsMs: runs.map((r) => r.ms) };
  };

  const firstSend = await timed((onStep) =>
    sendCalls({ network: t.network, account, calls: [{ to, value: 1n }], onStep }),
  );
  const keySend = await median(() =>
    timed((onStep) => sendCalls({ network: t.network, account, calls: [{ to, value: 1n }], onStep })),
  );
  // As before the tuning: a fresh network object (its own clients) with viem's default polling, no check.
  const untuned = { ...t.network, pollingIntervalMs: 4000 };
  const keySendUntuned = await median(() =>
    timed((onStep) =>
      sendCalls({ network: untuned, account, calls: [{ to, value: 1n }], simulate: false, onStep }),
    ),
  );
  const refusedT0 = performance.now();
  await sendCalls({ network: t.network, account, calls: [{ to, value: parseEther('5') }] }).then(
    () => {
      throw new Error('a send of more than the balance was not refused');
    },
    (e: unknown) => {
      if ((e as { code?: string }).code !== 'CALL_WOULD_REVERT') throw e;
    },
  );
  const refusedBeforeSendingMs = Math.round(performance.now() - refusedT0);

  const createT0 = performance.now();
  const { session, transactionHash } = await createSession({
    network: t.network,
    account,
    policy: {
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      feeLimit: { limit: parseEther('0.5') },
      transfers: [{ target: to, valueLimit: { limit: 1000n, period: '1 hour' } }],
    },
  });
  const createSessionResult = {
    ms: Math.round(performance.now() - createT0),
    transactionGasUsed: Number((await publicClient.getTransactionReceipt({ hash: transactionHash })).gasUsed),
  };
  const sessionSend = await median(() =>
    timed((onStep) => sendSessionCalls({ network: t.network, session, calls: [{ to, value: 1n }], onStep })),
  );
  const revokeT0 = performance.now();
  await revokeSession({ network: t.network, account, sessionHash: session.sessionHash });
  const revokeSessionMs = Math.round(performance.now() - revokeT0);

  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memGiB: Math.round(totalmem() / 2 ** 30),
      loadavg: loadavg(),
    },
    tier: Number(account.session.tier),
    // The dev stack's prover engine (it reads the same variable): native unless ZKSSO_PROVER_ENGINE=snarkjs.
    proverEngine: process.env.ZKSSO_PROVER_ENGINE?.trim() || 'native',
    receiptPollingMs: pollingIntervalOf(t.network),
    loginMs,
    loginStepMs: stepMs,
    firstSendDeployAndProof: firstSend,
    keyOnlySend: keySend,
    keyOnlySendUntuned4sPollingNoCheck: keySendUntuned,
    refusedBeforeSendingMs,
    createSessionWithValidatorInstall: createSessionResult,
    sessionTransfer: sessionSend,
    revokeSessionMs,
  };
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  await writeFile(join(root, 'bench', 'results', 'sdk.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await t.stop();
}
