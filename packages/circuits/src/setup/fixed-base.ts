import { buildBn128 } from 'ffjavascript';
import { writeLe256 } from './field.ts';

/** Which BN254 group a fixed-base multiplier works in. */
export type GroupName = 'G1' | 'G2';

interface WasmExports {
  [name: string]: (...args: number[]) => number;
}

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: the most a 32-bit WebAssembly memory can address
const HEADROOM = 65536 * 192 * 2;

/**
 * Multiplies the generator of G1 or G2 by many scalars, fast: a table of `digit · 2^(w·j) · g` for every
 * window j is precomputed once, so each product costs about 254 / w mixed additions instead of a full
 * double-and-add. Runs on a private instance of ffjavascript's BN254 WebAssembly (single thread, so the
 * shared CPU is not flooded), outputs affine points in snarkjs's little-endian Montgomery form — the
 * byte layout of zkey sections.
 *
 * @example
 * ```ts
 * const g1 = await FixedBaseMultiplier.create('G1', 1_000_000);
 * const points = await g1.multiply([1n, 2n]); // 2 × 64 bytes, LEM affine
 * g1.dispose();
 * ```
 */
export class FixedBaseMultiplier {
  /** Bytes of one affine point (LEM). */
  readonly affineSize: number;
  private readonly jacobianSize: number;
  private readonly prefix: string;
  private tablePtr = 0;
  private scratchPtr = 0;
  private readonly chunk = 4096;

  private constructor(
    readonly group: GroupName,
    private readonly exports: WasmExports,
    private readonly memory: WebAssembly.Memory,
    private readonly genPtr: number,
    /** Window width in bits (8 or 16). */
    readonly windowBits: number,
  ) {
    const n8 = group === 'G1' ? 32 : 64;
    this.affineSize = n8 * 2;
    this.jacobianSize = n8 * 3;
    this.prefix = group === 'G1' ? 'g1m' : 'g2m';
  }

  /**
   * Builds the multiplier and its window table, sized for `expectedCount` products (w = 16 for big
   * batches, 8 for small ones where a 65,536-entry table would cost more than it saves).
   */
  static async create(group: GroupName, expectedCount: number): Promise<FixedBaseMultiplier> {
    const curve = await buildBn128(true);
    const code: Uint8Array = curve.tm.code;
    const genPtr: number = group === 'G1' ? curve.tm.pG1gen : curve.tm.pG2gen;
    await curve.terminate();
    const memory = new WebAssembly.Memory({ initial: 32, maximum: MAX_PAGES });
    const { instance } = (await WebAssembly.instantiate(code, { env: { memory } })) as unknown as {
      instance: WebAssembly.Instance;
    };
    const windowBits = FixedBaseMultiplier.windowBitsFor(expectedCount);
    const multiplier = new FixedBaseMultiplier(
      group,
      instance.exports as unknown as WasmExports,
      memory,
      genPtr,
      windowBits,
    );
    multiplier.buildTable();
    return multiplier;
  }

  /** Window width for a batch of `count` products: 16 bits pays off beyond about 20,000. */
  static windowBitsFor(count: number): number {
    return count > 20_000 ? 16 : 8;
  }

  private get windows(): number {
    return Math.ceil(256 / this.windowBits);
  }

  private fn(name: string): (...args: number[]) => number {
    const f = this.exports[`${this.prefix}_${name}`];
    if (!f) throw new Error(`missing wasm export ${this.prefix}_${name}`);
    return f;
  }

  private alloc(bytes: number): number {
    const u32 = new Uint32Array(this.memory.buffer, 0, 1);
    const ptr = ((u32[0] as number) + 7) & ~7;
    const end = ptr + bytes;
    // Batch functions (batchToAffine) take scratch space from the free pointer on: keep room after it.
    const needed = end + HEADROOM;
    const have = this.memory.buffer.byteLength;
    if (needed > have) this.memory.grow(Math.ceil((needed - have) / PAGE));
    new Uint32Array(this.memory.buffer, 0, 1)[0] = end;
    return ptr;
  }

  private buildTable(): void {
    const size = 1 << this.windowBits;
    const windows = this.windows;
    this.tablePtr = this.alloc(windows * size * this.affineSize);
    const jac = this.alloc(size * this.jacobianSize);
    this.scratchPtr = this.alloc(this.chunk * this.jacobianSize);
    const base = this.alloc(this.affineSize);
    const copyAffine = this.fn('copyAffine');
    const zero = this.fn('zero');
    const addMixed = this.fn('addMixed');
    const batchToAffine = this.fn('batchToAffine');
    const toAffine = this.fn('toAffine');
    copyAffine(this.genPtr, base);
    for (let w = 0; w < windows; w++) {
      // jac[d] = d · base for d = 0 .. size-1; jac[size-1] + base is the next window's base.
      zero(jac);
      for (let d = 1; d < size; d++)
        addMixed(jac + (d - 1) * this.jacobianSize, base, jac + d * this.jacobianSize);
      batchToAffine(jac, size, this.tablePtr + w * size * this.affineSize);
      const next = this.scratchPtr;
      addMixed(jac + (size - 1) * this.jacobianSize, base, next);
      toAffine(next, base);
    }
  }

  /**
   * Returns `scalars[i] · g` for every i as concatenated affine LEM points. Scalars must be reduced mod r.
   */
  async multiply(scalars: readonly bigint[], onChunk?: (done: number) => void): Promise<Uint8Array> {
    const out = new Uint8Array(scalars.length * this.affineSize);
    const zero = this.fn('zero');
    const addMixed = this.fn('addMixed');
    const batchToAffine = this.fn('batchToAffine');
    const digitBytes = new Uint8Array(this.chunk * 32);
    const digitView = new DataView(digitBytes.buffer);
    const digits16 = new Uint16Array(digitBytes.buffer);
    const windows = this.windows;
    const wide = this.windowBits === 16;
    const tableStride = (1 << this.windowBits) * this.affineSize;
    for (let start = 0; start < scalars.length; start += this.chunk) {
      const count = Math.min(this.chunk, scalars.length - start);
      for (let i = 0; i < count; i++) writeLe256(digitView, i * 32, scalars[start + i] as bigint);
      for (let i = 0; i < count; i++) {
        const acc = this.scratchPtr + i * this.jacobianSize;
        zero(acc);
        for (let w = 0; w < windows; w++) {
          const digit = wide ? (digits16[i * 16 + w] as number) : (digitBytes[i * 32 + w] as number);
          if (digit !== 0) addMixed(acc, this.tablePtr + w * tableStride + digit * this.affineSize, acc);
        }
      }
      batchToAffine(this.scratchPtr, count, this.scratchPtr);
      out.set(
        new Uint8Array(this.memory.buffer, this.scratchPtr, count * this.affineSize),
        start * this.affineSize,
      );
      onChunk?.(start + count);
      // Let timers run between chunks (progress output, the cache lock's heartbeat).
      await new Promise((resolve) => setImmediate(resolve));
    }
    return out;
  }

  /** Drops the WebAssembly memory reference (the table is tens of MB). */
  dispose(): void {
    (this as unknown as { memory: WebAssembly.Memory | undefined }).memory = undefined;
  }
}
