// Minimal typings for the untyped JavaScript libraries this package drives.
/* biome-ignore-all lint/suspicious/noExplicitAny: these libraries ship no types */

declare module 'ffjavascript' {
  export function buildBn128(singleThread?: boolean): Promise<any>;
  export function getCurveFromName(name: string, options?: any): Promise<any>;
  export const utils: any;
  export const Scalar: any;
}

declare module 'snarkjs' {
  export const groth16: any;
  export const zKey: any;
  export const powersOfTau: any;
  export const wtns: any;
  export const r1cs: any;
  export const curves: any;
}
