export {
  buildCheckedZkLoginInputs,
  buildZkLoginInputs,
  type CheckedZkLoginInputsArgs,
  type ZkLoginInputs,
  type ZkLoginInputsArgs,
} from './build.ts';
export { ClaimLayoutUnsupportedError, JwtSignatureInvalidError, NonceMismatchError } from './errors.ts';
export {
  type EmailVerifiedLayout,
  locateClaims,
  MAX_MEMBER_GAP,
  type StringMemberLayout,
} from './json-layout.ts';
export { RSA_LIMB_BITS, RSA_LIMB_COUNT, toLimbs, verifyRs256 } from './rsa.ts';
export { sha256Pad } from './sha-padding.ts';
