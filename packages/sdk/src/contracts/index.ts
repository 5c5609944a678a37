// Encoders, decoders and the viem account scaffold for the zkSSO contracts (their ABIs come from
// @zksso/contracts, generated from the compiled Solidity): one export list for src/index.ts.
export * from './encoding.ts';
export * from './erc7739.ts';
export * from './errors.ts';
export * from './paymaster.ts';
export * from './session.ts';
export * from './smart-account.ts';
export * from './webauthn.ts';
