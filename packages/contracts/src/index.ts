export * from './account.ts';
export * from './encoding.ts';
export * from './erc7739.ts';
export * from './errors.ts';
export * from './paymaster.ts';
export * from './session.ts';
export * from './webauthn.ts';
