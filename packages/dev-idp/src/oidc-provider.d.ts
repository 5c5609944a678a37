// oidc-provider ships no types (and @types/oidc-provider lags v9): the few members the dev IdP uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type InteractionDetails = {
    uid: string;
    prompt: { name: string; details: Record<string, unknown> };
    params: Record<string, string | undefined>;
    session?: { accountId?: string };
    grantId?: string;
  };

  export class Grant {
    constructor(init: { accountId: string; clientId: string });
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    proxy: boolean;
    Grant: typeof Grant;
    Client: { prototype: { redirectUriAllowed(uri: string): boolean; clientId: string } };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** The path of a named route (`'token'`, `'resume'` → `/auth/:uid`); throws for a route that is off. */
    pathFor(name: string): string;
    /** Adds a Koa middleware that runs around oidc-provider's router. */
    use(
      middleware: (
        ctx: {
          method: string;
          path: string;
          status: number;
          body: unknown;
          type: string;
          set(name: string, value: string): void;
        },
        next: () => Promise<void>,
      ) => Promise<void>,
    ): this;
  }
}
