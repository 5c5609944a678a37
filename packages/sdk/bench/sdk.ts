// What an app sees through the SDK on a real dev stack: the time of each login step (token, salt, proof,
// address) and the gas of each kind of user operation (first send: deploy + proof; key-only send; session
// creation; session send). One login: a real proof takes about a minute on 2 cores.
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
import { sendCalls } from '../src/actions/sendCalls.ts';
import { sendSessionCalls } from '../src/actions/sendSessionCalls.ts';
import { createZkSsoClients } from '../src/clients.ts';
import { startSdkTestStack } from '../test/stack.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const t = await startSdkTestStack();
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
  const sendMs = async (work: () => Promise<{ userOpHash: Hex }>) => {
    const t0 = performance.now();
    const { userOpHash } = await work();
    return { ms: Math.round(performance.now() - t0), ...(await gasOf(userOpHash)) };
  };
  const firstSend = await sendMs(() =>
    sendCalls({ network: t.network, account, calls: [{ to, value: 1n }] }),
  );
  const keySend = await sendMs(() => sendCalls({ network: t.network, account, calls: [{ to, value: 1n }] }));
  const t0 = performance.now();
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
    ms: Math.round(performance.now() - t0),
    transactionGasUsed: Number((await publicClient.getTransactionReceipt({ hash: transactionHash })).gasUsed),
  };
  const sessionSend = await sendMs(() =>
    sendSessionCalls({ network: t.network, session, calls: [{ to, value: 1n }] }),
  );

  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memGiB: Math.round(totalmem() / 2 ** 30),
      loadavg: loadavg(),
    },
    tier: Number(account.session.tier),
    loginMs,
    loginStepMs: stepMs,
    firstSendDeployAndProof: firstSend,
    keyOnlySend: keySend,
    createSessionWithValidatorInstall: createSessionResult,
    sessionTransfer: sessionSend,
  };
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  await writeFile(join(root, 'bench', 'results', 'sdk.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await t.stop();
}
