import type { Command } from '../context.ts';
import { addressCommand } from './address.ts';
import { fundCommand } from './fund.ts';
import { loginCommand } from './login.ts';
import { logoutCommand } from './logout.ts';
import { passkeyCreateCommand, passkeyLoginCommand } from './passkey.ts';
import { sendCommand } from './send.ts';
import { sessionCreateCommand } from './session-create.ts';
import { sessionListCommand } from './session-list.ts';
import { sessionRevokeCommand } from './session-revoke.ts';
import { sessionSendCommand } from './session-send.ts';

/**
 * Every command, by its full name (`session create` has two words).
 *
 * @example
 * ```ts
 * COMMANDS.map((c) => c.name); // ['login', 'address', 'send', 'session create', …]
 * ```
 */
export const COMMANDS: readonly Command[] = [
  loginCommand,
  addressCommand,
  fundCommand,
  sendCommand,
  sessionCreateCommand,
  sessionSendCommand,
  sessionListCommand,
  sessionRevokeCommand,
  logoutCommand,
  passkeyCreateCommand,
  passkeyLoginCommand,
];
