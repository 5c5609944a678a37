import { parseAbi } from 'viem';

/** The WebAuthnValidator functions the SDK calls (configuration is sent from the account itself). */
export const webAuthnValidatorAbi = parseAbi([
  'struct Passkey { uint256 x; uint256 y; bytes32 rpIdHash; bytes32 originHash; }',
  'function addPasskey(bytes credentialId, uint256 x, uint256 y, string origin, bytes32 rpIdHash)',
  'function removePasskey(bytes32 credentialIdHash)',
  'function addOrigin(string origin)',
  'function getPasskey(address account, bytes32 credentialIdHash) view returns (Passkey)',
  'function credentialsOf(address account) view returns (bytes32[])',
  'function accountsOf(bytes32 credentialIdHash) view returns (address[])',
]);

/** The RecoveryModule functions the SDK calls (docs/contracts.md §8). */
export const recoveryModuleAbi = parseAbi([
  'struct Recovery { bool registered; uint48 readyAt; }',
  'function addRecoveryCredential(address validator, bytes installData) returns (bytes32)',
  'function removeRecoveryCredential(bytes32 recoveryId)',
  'function initiateRecovery(address account, address validator, bytes installData) returns (uint48)',
  'function cancelRecovery(bytes32 recoveryId)',
  'function executeRecovery(address account, address validator, bytes installData)',
  'function recoveryIdOf(address validator, bytes installData) pure returns (bytes32)',
  'function delayOf(address account) view returns (uint48)',
  'function getRecovery(address account, bytes32 recoveryId) view returns (Recovery)',
]);

/** ERC-7579 module management of the zkSSO account. */
export const moduleManagementAbi = parseAbi([
  'function installModule(uint256 moduleTypeId, address module, bytes initData)',
  'function uninstallModule(uint256 moduleTypeId, address module, bytes deInitData)',
  'function isModuleInstalled(uint256 moduleTypeId, address module, bytes additionalContext) view returns (bool)',
]);

/** ERC-7579 module type ids. */
export const MODULE_TYPE = { validator: 1n, executor: 2n } as const;
