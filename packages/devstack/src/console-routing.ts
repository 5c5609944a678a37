// oidc-provider (inside the dev IdP) warns on the console when it loads and when it starts a provider. The
// CLI sends those lines to the IdP's log file, like every other service's output, so the terminal keeps only
// the stack's own status. Imported before anything that loads oidc-provider: lines written before the log
// file is known are held, then written there.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { format, stripVTControlCharacters } from 'node:util';

let logFile: string | undefined;
let passThrough = false;
const held: string[] = [];

for (const level of ['warn', 'info'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    const text = format(...args);
    if (passThrough || !text.includes('oidc-provider ')) return original(...args);
    const line = `${new Date().toISOString()} ${stripVTControlCharacters(text)}\n`;
    if (logFile) appendFileSync(logFile, line);
    else held.push(line);
  };
}

/**
 * Sends oidc-provider's console lines to `file` from now on (and those held so far); with `verbose` they go
 * to the console as usual.
 *
 * @example
 * ```ts
 * routeOidcProviderConsole('/tmp/zksso-dev/logs/dev-idp.log', false);
 * ```
 */
export function routeOidcProviderConsole(file: string, verbose: boolean): void {
  mkdirSync(dirname(file), { recursive: true });
  logFile = file;
  passThrough = verbose;
  for (const line of held.splice(0)) {
    if (verbose) process.stderr.write(line);
    else appendFileSync(file, line);
  }
}
