// oidc-provider prints "Unsupported runtime. Use Node.js v22.x LTS, or a later LTS release." with console.warn
// when it is first imported on an LTS line older than 22. zkSSO supports Node >= 20.19 (the root
// package.json's engines) and its tests run on Node 20: oidc-provider 9.13.3 declares no engines and the
// newest API it relies on, URL.parse, is in Node 20.18+. So on Node 20.19+ that one line is a false alarm on
// every `npm run dev`, test and tool start; it is left out there, and only there (any other warning, and this
// one on any other runtime, passes through).
import type * as OidcProvider from 'oidc-provider';

const RUNTIME_NOTICE = 'oidc-provider WARNING: Unsupported runtime.';

/**
 * Whether this runtime is Node 20.19 or later on the 20 line: the versions the project supports and tests
 * that oidc-provider warns about.
 *
 * @example
 * ```ts
 * isTestedNode20('20.20.2'); // true
 * isTestedNode20('20.18.0'); // false
 * ```
 */
export function isTestedNode20(version: string = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major === 20 && (minor ?? 0) >= 19 && typeof Bun === 'undefined' && typeof Deno === 'undefined';
}

declare const Bun: unknown;
declare const Deno: unknown;

let loading: Promise<typeof OidcProvider> | undefined;

/**
 * Imports oidc-provider once, without its runtime notice on the Node 20 versions the project supports.
 *
 * @example
 * ```ts
 * const { default: Provider } = await loadOidcProvider();
 * ```
 */
export function loadOidcProvider(): Promise<typeof OidcProvider> {
  loading ??= (async () => {
    if (!isTestedNode20()) return import('oidc-provider');
    const warn = console.warn;
    const withoutNotice = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes(RUNTIME_NOTICE)) return;
      warn.apply(console, args);
    };
    console.warn = withoutNotice;
    try {
      return await import('oidc-provider');
    } finally {
      // Put back what we replaced, unless another module has wrapped console.warn since.
      if (console.warn === withoutNotice) console.warn = warn;
    }
  })();
  return loading;
}
