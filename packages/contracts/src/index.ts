// The TypeScript side of @zksso/contracts is the contracts' ABIs, generated from the forge build (src/abi,
// `npm run abis -w @zksso/contracts`). Encoders and viem accounts for these contracts live in @zksso/sdk.
export * from './abi/index.ts';
