export * from './account.ts';
export * from './artifacts.ts';
export * from './deploy.ts';
export * from './encoding.ts';
export * from './ephemeral.ts';
export * from './errors.ts';
export * from './session.ts';
