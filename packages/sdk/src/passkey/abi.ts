// The passkey actions' ABIs are the ones generated from the compiled contracts (@zksso/contracts), under the
// names the SDK has always exported: `moduleManagementAbi` is the account's ABI (`installModule`,
// `uninstallModule`, `isModuleInstalled`).
export {
  recoveryModuleAbi,
  webAuthnValidatorAbi,
  zkSsoAccountAbi as moduleManagementAbi,
} from '@zksso/contracts';

/** ERC-7579 module type ids. @example `MODULE_TYPE.validator === 1n` */
export const MODULE_TYPE = { validator: 1n, executor: 2n } as const;
