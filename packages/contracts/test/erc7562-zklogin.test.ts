import {
  type Address,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  keccak256,
  numberToHex,
  pad,
} from 'viem';
import { getUserOperationHash, toPackedUserOperation } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toZkSsoOpenIdAccount } from '../src/account.ts';
import { loadArtifact } from '../src/artifacts.ts';
import { ephemeralKeyId, KEY_TYPE_SECP256K1 } from '../src/encoding.ts';
import { startTestChain, TEST_TIER, type TestChain } from './harness/chain.ts';
import { rpc } from './harness/processes.ts';

// ERC-7562 check of ZkSsoAccount.validateUserOp + ZkLoginValidator on a real EVM trace (anvil debug_traceCall
// with a JS tracer): banned opcodes, and which storage slots each contract touches, with the KECCAK256
// preimages of the same trace to tell account-associated slots (keccak256(account ‖ x) + n) from others.

const BANNED = [
  'GASPRICE',
  'GASLIMIT',
  'DIFFICULTY',
  'PREVRANDAO',
  'TIMESTAMP',
  'BASEFEE',
  'BLOCKHASH',
  'NUMBER',
  'ORIGIN',
  'COINBASE',
  'SELFBALANCE',
  'BALANCE',
  'CREATE',
  'CREATE2',
  'SELFDESTRUCT',
  'BLOBHASH',
  'BLOBBASEFEE',
];

const TRACER = `{
  data: { ops: [], storage: [], keccak: [] },
  step: function (log) {
    var op = log.op.toString();
    var depth = log.getDepth();
    var addr = toHex(log.contract.getAddress());
    if (${JSON.stringify(BANNED)}.indexOf(op) >= 0) this.data.ops.push(op + '@' + depth);
    if (op === 'SLOAD' || op === 'SSTORE') {
      this.data.storage.push({ addr: addr, slot: '0x' + log.stack.peek(0).toString(16), op: op });
    }
    if (op === 'KECCAK256') {
      var offset = log.stack.peek(0).valueOf();
      var size = log.stack.peek(1).valueOf();
      this.data.keccak.push(toHex(log.memory.slice(offset, offset + size)));
    }
  },
  fault: function () {},
  result: function () { return this.data; }
}`;

interface Trace {
  ops: string[];
  storage: { addr: string; slot: string; op: string }[];
  keccak: string[];
}

const ISS = 0x1234n;
const MODULUS = 0xabcdn;

describe('ERC-7562 (ZkLoginValidator through ZkSsoAccount)', () => {
  let chain: TestChain;
  let account: Address;
  let keyOnly: Awaited<ReturnType<typeof toZkSsoOpenIdAccount>>;
  let proving: Awaited<ReturnType<typeof toZkSsoOpenIdAccount>>;

  beforeAll(async () => {
    chain = await startTestChain();
    const { deployment, walletClient, publicClient, bundlerClient } = chain;
    await publicClient.waitForTransactionReceipt({
      hash: await walletClient.writeContract({
        address: deployment.jwkRegistry,
        abi: loadArtifact('JwkRegistry').abi,
        functionName: 'addKey',
        args: [ISS, MODULUS],
      }),
    });
    const ephemeral = privateKeyToAccount(generatePrivateKey());
    const idc = 0x99n;
    const expiry = (await publicClient.getBlock()).timestamp + 3600n;
    const keyId = BigInt(ephemeralKeyId(KEY_TYPE_SECP256K1, ephemeral.address));
    const pub = [ISS, idc, keyId >> 128n, keyId & ((1n << 128n) - 1n), expiry, MODULUS] as const;
    const a0 = BigInt(keccak256(encodeAbiParameters([{ type: 'uint256[6]' }], [pub])));
    const common = {
      client: publicClient,
      entryPoint: deployment.entryPoint,
      factory: deployment.accountFactory,
      zkLoginValidator: deployment.zkLoginValidator,
      issHash: ISS,
      idc,
      ephemeral,
    };
    const proof = {
      tier: TEST_TIER,
      modulusHash: MODULUS,
      expiry,
      proof: {
        a: [a0, 0n],
        b: [
          [0n, 0n],
          [0n, 0n],
        ],
        c: [0n, 0n],
      },
    } as const;
    proving = await toZkSsoOpenIdAccount({ ...common, proof });
    keyOnly = await toZkSsoOpenIdAccount(common);
    account = proving.address;
    await chain.fund(account, '1');
    const hash = await bundlerClient.sendUserOperation({
      account: proving,
      calls: [{ to: account, value: 0n }],
    });
    await bundlerClient.waitForUserOperationReceipt({ hash });
  });

  afterAll(async () => {
    await chain?.stop();
  });

  async function traceValidation(smartAccount: typeof keyOnly): Promise<Trace> {
    const prepared = await chain.bundlerClient.prepareUserOperation({
      account: smartAccount,
      calls: [{ to: account, value: 0n }],
    });
    const signature = await smartAccount.signUserOperation(prepared);
    const userOperation = { ...prepared, signature };
    const userOpHash = getUserOperationHash({
      userOperation,
      entryPointAddress: chain.deployment.entryPoint,
      entryPointVersion: '0.8',
      chainId: chain.chain.id,
    });
    const data = encodeFunctionData({
      abi: loadArtifact('ZkSsoAccount').abi,
      functionName: 'validateUserOp',
      args: [toPackedUserOperation(userOperation), userOpHash, 0n],
    });
    return rpc<Trace>(chain.rpcUrl, 'debug_traceCall', [
      { from: chain.deployment.entryPoint, to: account, data, gas: numberToHex(5_000_000n) },
      'latest',
      { tracer: TRACER },
    ]);
  }

  /** True if `slot` is keccak256(account ‖ x) + n (n ≤ 128) for a preimage hashed in the trace. */
  function isAssociated(slot: string, keccak: string[]): boolean {
    const value = BigInt(slot);
    const accountWord = pad(account.toLowerCase() as Hex, { size: 32 }).slice(2);
    return keccak.some((preimage) => {
      if (!preimage.toLowerCase().startsWith(`0x${accountWord}`)) return false;
      const base = BigInt(keccak256(preimage as Hex));
      return value >= base && value - base <= 128n;
    });
  }

  function nonAssociated(trace: Trace): { addr: string; slot: string }[] {
    return trace.storage
      .filter((s) => s.addr.toLowerCase() !== account.toLowerCase())
      .filter((s) => !isAssociated(s.slot, trace.keccak))
      .map(({ addr, slot }) => ({ addr: addr.toLowerCase(), slot }));
  }

  it('mode 0x02 (ephemeral key): no banned opcode, only account-associated storage', async () => {
    const trace = await traceValidation(keyOnly);
    expect(trace.storage.length).toBeGreaterThan(0);
    expect(trace.ops).toEqual([]);
    expect(nonAssociated(trace)).toEqual([]);
  });

  it('mode 0x01 (proof): no banned opcode; non-associated reads are only the verifier table and the registry', async () => {
    const trace = await traceValidation(proving);
    expect(trace.ops).toEqual([]);
    const others = nonAssociated(trace);
    expect(others.length).toBeGreaterThan(0);
    const allowed = [chain.deployment.zkLoginValidator, chain.deployment.jwkRegistry].map((a) =>
      a.toLowerCase(),
    );
    for (const access of others) expect(allowed).toContain(access.addr);
    // Writes stay account-associated.
    const writes = trace.storage.filter(
      (s) => s.op === 'SSTORE' && s.addr.toLowerCase() !== account.toLowerCase(),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) expect(isAssociated(w.slot, trace.keccak)).toBe(true);
  });
});
