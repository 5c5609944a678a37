import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Reads a pasted ID token: the first non-empty line of `input` (a terminal or a pipe). Accepts the bare
 * JWT or a redirect URL / fragment that carries `id_token=`.
 *
 * @example
 * ```ts
 * const token = await readIdToken(process.stdin);
 * ```
 */
export async function readIdToken(input: NodeJS.ReadableStream): Promise<string> {
  const lines = createInterface({ input, terminal: false });
  try {
    for await (const line of lines) {
      const token = extractIdToken(line);
      if (token) return token;
    }
  } finally {
    lines.close();
  }
  return '';
}

/**
 * Reads the ID token from a file (`--id-token-file`).
 *
 * @example
 * ```ts
 * const token = readIdTokenFile('/tmp/token.txt');
 * ```
 */
export function readIdTokenFile(file: string): string {
  return extractIdToken(readFileSync(file, 'utf8'));
}

/**
 * The JWT in a pasted text: the text itself, or the `id_token` parameter of a URL, query or fragment.
 *
 * @example
 * ```ts
 * extractIdToken('http://127.0.0.1/cb#id_token=a.b.c&state=x'); // 'a.b.c'
 * ```
 */
export function extractIdToken(text: string): string {
  const trimmed = text.trim();
  const match = /(?:^|[#?&])id_token=([^&\s]+)/.exec(trimmed);
  return match?.[1] ? decodeURIComponent(match[1]) : trimmed;
}
