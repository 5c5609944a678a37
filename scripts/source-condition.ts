import { defaultClientConditions, defaultServerConditions } from 'vite';

/**
 * The export condition under which each library's package.json maps to its TypeScript sources
 * (`"@zksso/source": "./src/index.ts"`), ahead of the built `dist/` JavaScript that an install from a registry
 * gets. Inside this repository everything runs from source: the TypeScript checker (`customConditions` in
 * tsconfig.base.json), Vitest and Vite (below), and tsx (`--conditions=@zksso/source`, or NODE_OPTIONS).
 */
export const SOURCE_CONDITION = '@zksso/source';

/**
 * Vitest `resolve` options that pick the sources: the condition ahead of Vitest's own (Node) conditions, in
 * every Vite environment a test run uses (test files, and `__vitest__`, where global setups run).
 *
 * @example
 * ```ts
 * export default defineConfig({ ...sourceResolution, test: { ... } });
 * ```
 */
export const sourceResolution = {
  resolve: { conditions: [SOURCE_CONDITION] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION] } },
  // Vitest adds its Node conditions to the two above, not to this one: Vite's server defaults are spelled out.
  environments: { __vitest__: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } } },
};

/**
 * Vite build `resolve` options for the web apps: the sources ahead of Vite's browser conditions.
 *
 * @example
 * ```ts
 * export default defineConfig({ resolve: { ...sourceBrowserResolve }, build: { ... } });
 * ```
 */
export const sourceBrowserResolve = { conditions: [SOURCE_CONDITION, ...defaultClientConditions] };

/**
 * NODE_OPTIONS with `--conditions=@zksso/source` added (once), so that the Node processes a test or the dev
 * stack starts through tsx (CLIs, prover workers) also load sibling packages from source, not from a stale or
 * missing dist/.
 *
 * @example
 * ```ts
 * process.env.NODE_OPTIONS = nodeOptionsWithSourceCondition(process.env.NODE_OPTIONS);
 * ```
 */
export function nodeOptionsWithSourceCondition(nodeOptions: string | undefined): string {
  const flag = `--conditions=${SOURCE_CONDITION}`;
  const current = (nodeOptions ?? '').trim();
  return current.split(/\s+/).includes(flag) ? current : `${current} ${flag}`.trim();
}
