import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil } from './chain.ts';
import { keepChainTimeCurrent } from './chain-clock.ts';
import { freePort } from './ports.ts';
import { jsonRpc, type ManagedProcess } from './processes.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const latestBlock = async (url: string) => {
  const block = await jsonRpc<{ number: string; timestamp: string }>(url, 'eth_getBlockByNumber', [
    'latest',
    false,
  ]);
  return { number: Number(BigInt(block.number)), timestamp: Number(BigInt(block.timestamp)) };
};

describe('keepChainTimeCurrent (a real anvil)', () => {
  let anvil: ManagedProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    anvil = await startAnvil({ port, logFile: '/dev/null' }, () => {});
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  it('mines while the chain is idle, so the latest block follows the wall clock, and stops when told', async () => {
    const before = await latestBlock(url);
    const clock = keepChainTimeCurrent(url, { intervalMs: 200 });
    await sleep(2_500);
    await clock.stop();
    const after = await latestBlock(url);
    expect(after.number).toBeGreaterThan(before.number);
    expect(Math.floor(Date.now() / 1000) - after.timestamp).toBeLessThanOrEqual(2);

    await sleep(2_500);
    expect((await latestBlock(url)).number).toBe(after.number);
  });

  it('does not mine while the latest block is current', async () => {
    let fakeNow = 0; // "the wall clock is at the epoch": every block is already in the future
    const before = await latestBlock(url);
    const clock = keepChainTimeCurrent(url, { intervalMs: 100, now: () => fakeNow });
    await sleep(800);
    expect((await latestBlock(url)).number).toBe(before.number);
    fakeNow = Math.floor(Date.now() / 1000) + 10;
    await sleep(800);
    await clock.stop();
    expect((await latestBlock(url)).number).toBeGreaterThan(before.number);
  });
});
