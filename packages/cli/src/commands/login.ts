import {
  discoveryUrl,
  findProviderByIssuer,
  getProvider,
  type OpenIdProvider,
  PROVIDER_IDS,
  type ProviderId,
  providerFromDiscovery,
  ZkSsoError,
} from '@zksso/core';
import type { Command, CommandContext } from '../context.ts';
import { CliUsageError } from '../errors.ts';
import { readIdToken, readIdTokenFile } from '../id-token.ts';
import { table } from '../output.ts';
import type { IdTokenSource, LoginStep, ZkSsoNetwork } from '../sdk.ts';
import { formatDuration, parseDuration } from '../units.ts';

/** Default lifetime of a login's ephemeral key: one day (the SDK's default). @example `DEFAULT_LOGIN_SECONDS; // 86400` */
export const DEFAULT_LOGIN_SECONDS = 86_400;

const STEP_MESSAGES: Record<LoginStep, string> = {
  token: 'getting an ID token',
  salt: 'getting the salt',
  proof: 'proving (about a minute)',
  address: 'computing the account address',
};

/**
 * The redirect URI of the paste flow: nothing listens there; the user copies the URL the browser lands on.
 *
 * @example
 * ```ts
 * DEFAULT_REDIRECT_URI; // 'http://127.0.0.1/callback'
 * ```
 */
export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1/callback';

/**
 * The provider behind `--issuer`: a built-in id (`google`, `apple`, …), a built-in issuer URL, or any
 * OpenID issuer URL (read from its discovery document).
 */
async function providerFor(issuer: string): Promise<OpenIdProvider> {
  if ((PROVIDER_IDS as readonly string[]).includes(issuer)) return getProvider(issuer as ProviderId);
  if (!URL.canParse(issuer)) {
    throw new CliUsageError(
      `--issuer: "${issuer}" is neither "dev", a provider (${PROVIDER_IDS.join(', ')}) nor a URL`,
      {
        option: '--issuer',
      },
    );
  }
  const known = findProviderByIssuer(issuer);
  if (known) return known;
  let response: Response;
  try {
    response = await fetch(discoveryUrl(issuer), { signal: AbortSignal.timeout(15_000) });
  } catch (cause) {
    throw new ZkSsoError('SERVICE_ERROR', `idp: ${issuer} unreachable`, {
      details: { service: 'idp', status: 0 },
      cause,
    });
  }
  if (!response.ok) {
    throw new ZkSsoError('SERVICE_ERROR', `idp: discovery answered HTTP ${response.status}`, {
      details: { service: 'idp', status: response.status },
    });
  }
  return providerFromDiscovery(await response.json(), { expectedIssuer: issuer });
}

/**
 * Chooses where the ID token comes from for `--issuer`: the dev provider's non-interactive login, or for a
 * real provider the paste flow (the authorization URL on stderr, the token or redirect URL from stdin or
 * `--id-token-file`).
 *
 * @example
 * ```ts
 * const source = await idTokenSource(ctx, network, 'dev', 'alice'); // { kind: 'dev', user: 'alice', … }
 * ```
 */
export async function idTokenSource(
  ctx: CommandContext,
  network: ZkSsoNetwork,
  issuer: string,
  user: string | undefined,
): Promise<IdTokenSource> {
  const isDev = issuer === 'dev' || (network.devIssuer !== undefined && issuer === network.devIssuer);
  if (isDev) {
    if (!network.devIssuer) {
      throw new CliUsageError('--issuer dev: this network has no dev OpenID provider', {
        option: '--issuer',
      });
    }
    if (!user) throw new CliUsageError('--issuer dev needs --user <name>', { option: '--user' });
    return { kind: 'dev', user, issuerUrl: network.devIssuer };
  }
  const provider = await providerFor(issuer);
  const tokenFile = ctx.values['id-token-file'] as string | undefined;
  const redirectUri = (ctx.values['redirect-uri'] as string | undefined) ?? DEFAULT_REDIRECT_URI;
  return {
    kind: 'callback',
    provider,
    redirectUri,
    getIdToken: async (authorizationUrl) => {
      ctx.io.stderr.write(
        `Open this URL in a browser and sign in:\n\n  ${authorizationUrl}\n\n` +
          (tokenFile
            ? `Reading the ID token from ${tokenFile}.\n`
            : `Then paste the URL the browser lands on (${redirectUri}#id_token=…) or the ID token itself:\n`),
      );
      const token = tokenFile ? readIdTokenFile(tokenFile) : await readIdToken(ctx.io.stdin);
      if (!token) throw new CliUsageError('no ID token was given', { option: '--id-token-file' });
      return token;
    },
  };
}

/**
 * `zksso login`: an OpenID login that becomes a proof, then a saved ephemeral key for the account.
 *
 * @example
 * ```ts
 * await runCli(['login', '--issuer', 'dev', '--user', 'alice', '--json']);
 * ```
 */
export const loginCommand: Command = {
  name: 'login',
  summary: 'log in with an OpenID provider (dev or real); saves the account and its ephemeral key',
  usage: `Usage: zksso login --issuer <dev|provider|url> [--user <name>] [--expires-in 1d] [--client-id <id>]
                   [--id-token-file <file>] [--redirect-uri <uri>]

Logs in: gets an ID token whose nonce commits to a fresh ephemeral key, gets the salt, asks the prover for
the Groth16 proof (about a minute), and saves the account address with the key (replacing any earlier login).

  --issuer <dev|id|url>  dev: the dev stack's OpenID provider (non-interactive, needs --user); a provider
                         id (google, apple, microsoft, …) or issuer URL: the authorization URL is printed
                         and the ID token (or the redirect URL carrying it) read from stdin
  --user <name>          the dev user to log in as (any name: each name is another account)
  --expires-in <dur>     how long the ephemeral key lives, default 1d (90s, 30m, 1h, 7d)
  --client-id <id>       the OpenID client id (audience), default the network's first
  --id-token-file <file> read the ID token from this file instead of stdin (real providers)
  --redirect-uri <uri>   the redirect URI registered for the client id, default ${DEFAULT_REDIRECT_URI}
                         (the browser lands there with #id_token=…: copy that URL back)`,
  options: {
    issuer: { type: 'string' },
    user: { type: 'string' },
    'expires-in': { type: 'string' },
    'client-id': { type: 'string' },
    'id-token-file': { type: 'string' },
    'redirect-uri': { type: 'string' },
  },
  run: async (ctx) => {
    const issuer = ctx.values.issuer as string | undefined;
    if (!issuer)
      throw new CliUsageError('--issuer is required (dev, or the provider URL)', { option: '--issuer' });
    const user = ctx.values.user as string | undefined;
    const expiresIn = ctx.values['expires-in'] as string | undefined;
    const expiresInSeconds =
      expiresIn === undefined ? DEFAULT_LOGIN_SECONDS : parseDuration(expiresIn, '--expires-in');
    const clientId = ctx.values['client-id'] as string | undefined;
    const network = await ctx.network();
    if (clientId !== undefined && !network.clientIds.includes(clientId)) {
      ctx.progress(
        'client-id',
        `note: ${clientId} is not among the network's client ids (${network.clientIds.join(', ')})`,
      );
    }
    const source = await idTokenSource(ctx, network, issuer, user);
    const sdk = await ctx.sdk();

    const started = ctx.io.now();
    let ticker: ReturnType<typeof setInterval> | undefined;
    const stopTicker = () => {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
    };
    let session: Awaited<ReturnType<typeof sdk.createZkLoginAccount>>['session'];
    try {
      ({ session } = await sdk.createZkLoginAccount({
        network,
        source,
        ...(clientId ? { clientId } : {}),
        expiresInSeconds,
        onProgress: (step) => {
          stopTicker();
          ctx.progress(step, STEP_MESSAGES[step] ?? step);
          if (step === 'proof') {
            const proofStarted = ctx.io.now();
            ticker = setInterval(() => {
              const seconds = Math.round((ctx.io.now() - proofStarted) / 1000);
              ctx.progress('proof', `still proving (${seconds} s)`);
            }, 15_000);
            ticker.unref();
          }
        },
      }));
    } finally {
      stopTicker();
    }
    ctx.store.writeLogin({
      version: 1,
      issuerOption: issuer,
      ...(user ? { user } : {}),
      savedAt: ctx.nowSeconds(),
      session,
    });
    const expiry = Number(session.expiry);
    const seconds = Math.round((ctx.io.now() - started) / 1000);
    return {
      json: {
        address: session.address,
        chainId: session.chainId,
        issuer: session.issuer,
        clientId: session.clientId,
        ...(user ? { user } : {}),
        expiry,
        expiresAt: new Date(expiry * 1000).toISOString(),
        tier: session.tier,
        seconds,
      },
      human: [
        `Logged in${user ? ` as ${user}` : ''} (${formatDuration(seconds)}).`,
        ...table([
          ['address', session.address],
          ['issuer', session.issuer],
          ['client id', session.clientId],
          ['chain', String(session.chainId)],
          [
            'key expires',
            `${new Date(expiry * 1000).toISOString()} (in ${formatDuration(expiry - ctx.nowSeconds())})`,
          ],
        ]),
      ],
    };
  },
};
