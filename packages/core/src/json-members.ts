// Reads the raw source text of each top-level member of a JSON object. The circuit matches raw payload
// bytes, so the library must see claims exactly as they are written, not as JSON.parse decodes them.

/**
 * One top-level member of a JSON object as written in the source text.
 * @example
 * ```ts
 * const member: RawJsonMember | undefined = rawJsonMembers(payloadJson).members.get('sub');
 * ```
 */
export type RawJsonMember = {
  /** The member name between its quotes, escapes left as written. */
  rawName: string;
  /** The value's source text (for a string: including the quotes, escapes left as written). */
  rawValue: string;
};

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

function skipWhitespace(text: string, i: number): number {
  let j = i;
  while (j < text.length && WHITESPACE.has(text.charAt(j))) j++;
  return j;
}

/** Index just after the string that opens at `i` (text[i] is a quote). */
function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text.charAt(j) !== '"') j += text.charAt(j) === '\\' ? 2 : 1;
  return j + 1;
}

/** Index just after the JSON value that starts at `i`. */
function skipValue(text: string, i: number): number {
  const first = text.charAt(i);
  if (first === '"') return skipString(text, i);
  if (first === '{' || first === '[') {
    let depth = 0;
    let j = i;
    while (j < text.length) {
      const c = text.charAt(j);
      if (c === '"') {
        j = skipString(text, j);
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return j;
  }
  let j = i;
  while (j < text.length && !WHITESPACE.has(text.charAt(j)) && !',}]'.includes(text.charAt(j))) j++;
  return j;
}

/**
 * Lists the top-level members of a JSON object text in source order, keyed by decoded name. The text must
 * already be known to parse (JSON.parse) as an object; duplicate names are reported, not merged.
 *
 * @example
 * ```ts
 * const { members } = rawJsonMembers('{"sub":"a\\u0062"}');
 * members.get('sub')?.rawValue; // '"a\\u0062"'
 * ```
 */
export function rawJsonMembers(text: string): { members: Map<string, RawJsonMember>; duplicates: string[] } {
  const members = new Map<string, RawJsonMember>();
  const duplicates: string[] = [];
  let i = skipWhitespace(text, 0) + 1; // past '{'
  i = skipWhitespace(text, i);
  while (i < text.length && text.charAt(i) === '"') {
    const nameEnd = skipString(text, i);
    const rawName = text.slice(i + 1, nameEnd - 1);
    i = skipWhitespace(text, nameEnd) + 1; // past ':'
    i = skipWhitespace(text, i);
    const valueEnd = skipValue(text, i);
    const name = JSON.parse(`"${rawName}"`) as string;
    if (members.has(name)) duplicates.push(name);
    members.set(name, { rawName, rawValue: text.slice(i, valueEnd) });
    i = skipWhitespace(text, valueEnd);
    if (text.charAt(i) === ',') i = skipWhitespace(text, i + 1);
  }
  return { members, duplicates };
}
