import { IdpError } from './openid.ts';
import { shortAddress } from './wording.ts';

/** A failure as the error screen shows it. */
export interface Failure {
  title: string;
  message: string;
  /** A stable code (the SDK's, the provider's, or the browser's error name) for support and tests. */
  code: string;
  /** Whether trying again may help (a busy or unreachable service, a cancelled prompt). */
  retry: boolean;
}

interface Coded {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  details?: Record<string, unknown>;
  shortMessage?: unknown;
}

const clip = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * Turns any thrown value into a screen: what happened and what to do. Messages come from the SDK's typed
 * errors (which never carry a token, salt, key or proof input), never from a raw stack.
 *
 * @example
 * ```ts
 * describeFailure(new IdpError('POPUP_BLOCKED', '…')).title; // 'The sign-in window was blocked'
 * ```
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof IdpError) {
    if (error.code === 'POPUP_BLOCKED')
      return {
        title: 'The sign-in window was blocked',
        message:
          'Your browser blocked the window of the sign-in provider. Allow pop-ups for this site, then try again.',
        code: 'POPUP_BLOCKED',
        retry: true,
      };
    if (error.code === 'CANCELLED')
      return {
        title: 'Sign-in cancelled',
        message: 'You cancelled the sign-in.',
        code: 'CANCELLED',
        retry: true,
      };
    return {
      title: 'The provider refused the sign-in',
      message: error.message,
      code: `IDP_${error.providerError ?? 'ERROR'}`,
      retry: true,
    };
  }
  const e = (typeof error === 'object' && error !== null ? error : {}) as Coded;
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'UNKNOWN';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const d = e.details ?? {};
  switch (code) {
    case 'SERVICE_ERROR': {
      const service = String(d.service ?? 'service');
      const status = Number(d.status ?? 0);
      if (service === 'prover' && (status === 503 || status === 429))
        return {
          title: 'The prover is busy',
          message: 'Too many sign-ins are being proved right now. Wait a few seconds and try again.',
          code: 'PROVER_BUSY',
          retry: true,
        };
      const names: Record<string, string> = {
        prover: 'The prover',
        salt: 'The salt service',
        bundler: 'The bundler',
        idp: 'The sign-in provider',
        rpc: 'The chain (RPC node)',
      };
      return {
        title: `${names[service] ?? 'A service'} is unavailable`,
        message: status
          ? `${names[service] ?? 'It'} answered HTTP ${status}. Try again in a moment.`
          : `${names[service] ?? 'It'} could not be reached. Try again in a moment.`,
        code: `${service.toUpperCase()}_UNAVAILABLE`,
        retry: true,
      };
    }
    case 'LOGIN_REFUSED':
      return {
        title: d.by === 'salt' ? 'The salt service refused this sign-in' : 'The provider refused the sign-in',
        message: clip(message),
        code: `LOGIN_REFUSED${d.code ? `_${String(d.code)}` : ''}`,
        retry: false,
      };
    case 'PROOF_REFUSED':
      // The prover's overload answers (503 with Retry-After) arrive as a refusal with the prover's code.
      if (
        d.by === 'prover' &&
        ['QUEUE_FULL', 'SHUTTING_DOWN', 'NOT_READY', 'JWKS_UNAVAILABLE'].includes(String(d.code))
      )
        return {
          title: 'The prover is busy',
          message: 'Too many sign-ins are being proved right now. Wait a few seconds and try again.',
          code: 'PROVER_BUSY',
          retry: true,
        };
      return {
        title: 'The proof was refused',
        message: clip(message),
        code: `PROOF_REFUSED${d.code ? `_${String(d.code)}` : ''}`,
        retry: false,
      };
    case 'CALL_WOULD_REVERT':
      return { title: 'This would fail, so nothing was sent', message: clip(message), code, retry: false };
    case 'CALLS_REVERTED':
      return { title: 'The transaction reverted', message: clip(message), code, retry: false };
    case 'EPHEMERAL_KEY_EXPIRED':
      return { title: 'Your sign-in has expired', message: 'Sign in again to continue.', code, retry: true };
    case 'CHAIN_CHANGED':
      return {
        title: 'The chain was reset',
        message: 'The chain was started over since you signed in. Sign in again.',
        code,
        retry: true,
      };
    case 'WRONG_CHAIN':
      return { title: 'Wrong chain', message: clip(message), code, retry: false };
    case 'PASSKEY_NOT_FOUND':
      if (d.removedFrom)
        // The passkey's own account removed it (a lost device revoked after a recovery): its owner signs in
        // with the account's OpenID identity now, not with a new passkey account.
        return {
          title: 'This passkey was removed from its account',
          message: `Account ${shortAddress(String(d.removedFrom))} no longer accepts this passkey. Sign in with the account's OpenID identity (e.g. Google) instead.`,
          code,
          retry: false,
        };
      return {
        title: 'No account for this passkey',
        message: 'No zkSSO account uses this passkey on this chain. Sign up with a passkey instead.',
        code,
        retry: false,
      };
    case 'PASSKEY_ASSERTION_REFUSED':
    case 'WEBAUTHN_UNAVAILABLE':
      return { title: 'The passkey could not be used', message: clip(message), code, retry: true };
    case 'NotAllowedError':
      return {
        title: 'The passkey prompt was cancelled',
        message: 'The passkey prompt was closed or timed out. Try again.',
        code,
        retry: true,
      };
    case 'InvalidStateError':
      return {
        title: 'This passkey already exists',
        message: 'The authenticator already holds a passkey for this account.',
        code,
        retry: false,
      };
  }
  if (/UserOperation|AA\d\d|bundler/i.test(message))
    return {
      title: 'The bundler refused the operation',
      message: clip(String(e.shortMessage ?? message)),
      code: 'BUNDLER_REFUSED',
      retry: true,
    };
  if (/fetch|network|Failed to fetch/i.test(message))
    return {
      title: 'A service could not be reached',
      message: 'Check your connection and try again.',
      code: 'NETWORK',
      retry: true,
    };
  return { title: 'Something went wrong', message: clip(message), code, retry: true };
}
