import { ClaimMissingError } from '@zksso/core';
import { ClaimLayoutUnsupportedError } from './errors.ts';

/**
 * Most bytes (whitespace and the colon) the circuit accepts between a member name and its value
 * (`"aud" : "x"` has 3).
 *
 * @example
 * ```ts
 * if (gap > MAX_MEMBER_GAP) throw new ClaimLayoutUnsupportedError('aud', 'gap too wide');
 * ```
 */
export const MAX_MEMBER_GAP = 8;

/** Where a top-level string member sits in the payload JSON bytes, as the circuit's inputs say it. */
export interface StringMemberLayout {
  /** Index of the opening quote of the member name. */
  index: number;
  /** Offset of the value's opening quote from `index`. */
  valueQuote: number;
  /** Value length in bytes. */
  valueLength: number;
}

/** Where `email_verified` sits: index of its name, offset of the value, and whether it is `"true"`. */
export interface EmailVerifiedLayout {
  index: number;
  valueStart: number;
  quoted: boolean;
}

interface TopLevelMember {
  nameStart: number;
  nameEnd: number; // index of the closing quote
  valueStart: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isWhitespace = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

const LETTER_U = 0x75;

/**
 * Whether a member name's raw bytes (between its quotes) hold a `\u` escape. The circuit refuses those in
 * top-level names: `\u` is the one JSON escape that can spell a letter or `_`, so refusing it means a name
 * written differently can never decode to a name the proof uses.
 */
function hasUnicodeEscape(name: Uint8Array): boolean {
  for (let j = 0; j < name.length; j++) {
    if (name[j] !== BACKSLASH) continue;
    if (name[j + 1] === LETTER_U) return true;
    j++; // the escaped byte
  }
  return false;
}

/**
 * The top-level members of a JSON object given as bytes, found the way the circuit's scan sees them:
 * quotes outside strings at depth 1 followed by whitespace and a colon.
 *
 * @throws {ClaimLayoutUnsupportedError} when a top-level name holds a `\u` escape (the circuit refuses it).
 */
function topLevelMembers(json: Uint8Array): Map<string, TopLevelMember> {
  const members = new Map<string, TopLevelMember>();
  const decoder = new TextDecoder();
  let depth = 0;
  let inString = false;
  let escaped = false;
  let stringStart = -1;
  for (let i = 0; i < json.length; i++) {
    const b = json[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (b === BACKSLASH) escaped = true;
      else if (b === QUOTE) {
        inString = false;
        if (depth === 1) {
          let j = i + 1;
          while (isWhitespace(json[j])) j++;
          if (json[j] === 0x3a) {
            j++;
            while (isWhitespace(json[j])) j++;
            const rawName = json.subarray(stringStart + 1, i);
            const name = decoder.decode(rawName);
            if (hasUnicodeEscape(rawName)) {
              throw new ClaimLayoutUnsupportedError(
                'payload',
                `the top-level member name "${name}" is written with a \\u escape`,
              );
            }
            if (!members.has(name)) members.set(name, { nameStart: stringStart, nameEnd: i, valueStart: j });
          }
        }
      }
      continue;
    }
    if (b === QUOTE) {
      inString = true;
      stringStart = i;
    } else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      depth--;
      if (depth === 0) break;
    }
  }
  return members;
}

function member(members: Map<string, TopLevelMember>, claim: string): TopLevelMember {
  const found = members.get(claim);
  if (found === undefined) throw new ClaimMissingError(claim);
  const gap = found.valueStart - found.nameEnd - 1;
  if (gap > MAX_MEMBER_GAP) {
    throw new ClaimLayoutUnsupportedError(
      claim,
      `${gap} bytes between name and value (at most ${MAX_MEMBER_GAP})`,
    );
  }
  return found;
}

/**
 * Locates the top-level string members and `email_verified` of a payload JSON (UTF-8 bytes) for the
 * circuit's claim inputs. Values must already have been checked (string, no escapes, lengths) by
 * `extractIdentityClaims`.
 *
 * @throws {ClaimMissingError} when a member is not a top-level member.
 * @throws {ClaimLayoutUnsupportedError} when the payload does not start with `{`, a gap is too wide or a
 *   top-level member name holds a `\u` escape.
 * @example
 * ```ts
 * const layout = locateClaims(new TextEncoder().encode('{"iss":"a","aud":"b"}'));
 * layout.string('aud'); // { index: 11, valueQuote: 6, valueLength: 1 }
 * ```
 */
export function locateClaims(json: Uint8Array): {
  string(claim: string): StringMemberLayout;
  emailVerified(): EmailVerifiedLayout;
} {
  if (json[0] !== 0x7b)
    throw new ClaimLayoutUnsupportedError('payload', 'the payload JSON must start with {');
  const members = topLevelMembers(json);
  return {
    string(claim) {
      const found = member(members, claim);
      if (json[found.valueStart] !== QUOTE) throw new ClaimLayoutUnsupportedError(claim, 'not a string');
      let end = found.valueStart + 1;
      while (end < json.length && json[end] !== QUOTE) end++;
      return {
        index: found.nameStart,
        valueQuote: found.valueStart - found.nameStart,
        valueLength: end - found.valueStart - 1,
      };
    },
    emailVerified() {
      const found = member(members, 'email_verified');
      return {
        index: found.nameStart,
        valueStart: found.valueStart - found.nameStart,
        quoted: json[found.valueStart] === QUOTE,
      };
    },
  };
}
