// The passkey actions' ABIs are the ones generated from the compiled contracts (@zksso/contracts); the names
// the SDK has always exported stay.
/** ERC-7579 module management (`installModule`, `uninstallModule`, `isModuleInstalled`): the account's ABI. @example `readContract(client, { address: account, abi: moduleManagementAbi, functionName: 'isModuleInstalled', args: [MODULE_TYPE.validator, validator, '0x'] })` */
export {
  recoveryModuleAbi,
  webAuthnValidatorAbi,
  zkSsoAccountAbi as moduleManagementAbi,
} from '@zksso/contracts';

/** ERC-7579 module type ids. @example `MODULE_TYPE.validator === 1n` */
export const MODULE_TYPE = { validator: 1n, executor: 2n } as const;
