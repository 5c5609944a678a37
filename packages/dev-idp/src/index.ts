export { DEV_IDP_STATUS, DevIdpError, type DevIdpErrorCode } from './errors.ts';
export { generateSigningKey, type PrivateJwk, publicJwk } from './keys.ts';
export {
  DEV_CLIENT_ID,
  DEV_CLIENT_ID_OTHER,
  type DevClient,
  type DevIdp,
  type RotateKeysOptions,
  type RotateKeysResult,
  type StartDevIdpOptions,
  startDevIdp,
} from './server.ts';
export {
  DEFAULT_USERS,
  type DevUser,
  MAX_USER_NAME_LENGTH,
  numberedUsers,
  userFromName,
  userNameProblem,
} from './users.ts';
