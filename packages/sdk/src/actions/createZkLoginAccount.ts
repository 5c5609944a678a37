import { zkSsoAccountFactoryAbi } from '@zksso/contracts';
import {
  computeNonce,
  createP256EphemeralKey,
  createSecp256k1EphemeralKey,
  decodeJwt,
  type EphemeralSigner,
  ephemeralKeyBytes,
  ephemeralKeyId,
  type GetSaltRequest,
  type GetSaltResponse,
  generateRandomness,
  type ProveRequestBody,
  type ProveResponse,
} from '@zksso/core';
import { bytesToHex, type Hex } from 'viem';
import { toZkLoginSmartAccount, type ZkLoginSmartAccount } from '../accounts/zklogin-account.ts';
import { createZkSsoClients } from '../clients.ts';
import { LoginRefusedError, ProofRefusedError, ServiceError, type WrongChainError } from '../errors.ts';
import { type HttpTransport, postJson } from '../http.ts';
import { fetchIdToken, type IdTokenSource } from '../id-token.ts';
import type { ZkSsoNetwork } from '../network.ts';
import type { ZkLoginSession } from '../zklogin-session.ts';

/** Parameters of {@link createZkLoginAccount}. */
export interface CreateZkLoginAccountParameters {
  network: ZkSsoNetwork;
  source: IdTokenSource;
  /** The audience of the ID token. Default `network.clientIds[0]`. */
  clientId?: string;
  /** Ephemeral key lifetime in seconds, default 86,400 (one day). */
  expiresInSeconds?: number;
  /**
   * The ephemeral key the proof binds: `'p256'` (a non-extractable WebCrypto key: the default in browsers),
   * `'secp256k1'` (the default elsewhere; its private key is saved in the session), or a key of yours.
   */
  ephemeralKey?: 'p256' | 'secp256k1' | EphemeralSigner;
  /** A secp256k1 private key to use (tests, restoring a key); ignored when `ephemeralKey` is a signer. */
  ephemeralPrivateKey?: Hex;
  /**
   * Called as each step starts (a proof takes about a minute on a small machine) with the step's name and,
   * for `proof`, the prover's URL: never the token, salt, key or proof inputs, so it is safe to log.
   */
  onProgress?: (step: 'token' | 'salt' | 'proof' | 'address', detail?: string) => void;
  /**
   * How the salt service and the prover are called. Default `fetchTransport` (browsers and Node); Node's fetch
   * waits at most 300 s for an answer, so a Node caller whose proofs may queue longer passes
   * `nodeHttpTransport` from `@zksso/sdk/node`.
   */
  httpTransport?: HttpTransport;
}

/** What {@link createZkLoginAccount} returns: the account and the login session to keep (SECRET). */
export interface CreateZkLoginAccountReturnType {
  account: ZkLoginSmartAccount;
  session: ZkLoginSession;
}

/**
 * The typed errors {@link createZkLoginAccount} throws.
 *
 * @example
 * ```ts
 * try { await createZkLoginAccount(p); } catch (e) { console.log((e as CreateZkLoginAccountErrorType).code); }
 * ```
 */
export type CreateZkLoginAccountErrorType =
  | WrongChainError
  | LoginRefusedError
  | ServiceError
  | ProofRefusedError;

/**
 * Logs in with OpenID and returns the zkSSO account it opens: a fresh ephemeral key, the nonce committing to
 * it (protocol §6), an ID token carrying that nonce (dev IdP or your callback), the user's salt from the salt
 * service, a Groth16 proof from the prover, and the account's address from the factory. Nothing is sent on
 * chain: the first {@link sendCalls} deploys the account and registers the key.
 *
 * The returned `session` holds the ephemeral private key (SECRET) and the proof: keep it to
 * {@link restoreZkLoginAccount} later without logging in again.
 *
 * @throws WrongChainError, LoginRefusedError (the provider or the salt service refused: unknown user or
 * client, audience not accepted), ServiceError (idp, salt, prover unreachable or failing), ProofRefusedError
 * (the prover's code) ({@link CreateZkLoginAccountErrorType}).
 * @example
 * ```ts
 * const network = loadDevStackNetwork(); // from '@zksso/sdk/node'
 * const { account, session } = await createZkLoginAccount({
 *   network,
 *   source: { kind: 'dev', user: 'alice' },
 *   onProgress: (step) => console.log(`login step: ${step}`),
 * });
 * console.log(account.address);
 * ```
 */
export async function createZkLoginAccount(
  p: CreateZkLoginAccountParameters,
): Promise<CreateZkLoginAccountReturnType> {
  const { network } = p;
  const progress = p.onProgress ?? (() => {});
  // Fail on a wrong or absent chain before the user logs in.
  const clients = await createZkSsoClients(network);
  const clientId = p.clientId ?? network.clientIds[0];
  if (!clientId) throw new TypeError('no client id: pass clientId or a network with clientIds');

  const ephemeral = await chooseEphemeralKey(p);
  const ephemeralPublicKey = ephemeral.publicKey;
  const expiry = BigInt(Math.floor(Date.now() / 1000) + (p.expiresInSeconds ?? 86_400));
  const randomness = generateRandomness();
  const nonce = computeNonce({ ephemeralPublicKey, expiry, randomness });

  progress('token');
  const jwt = await fetchIdToken(p.source, {
    clientId,
    nonce,
    ...(network.devIssuer ? { devIssuer: network.devIssuer } : {}),
  });
  const issuer = String(decodeJwt(jwt).payload.iss);

  progress('salt');
  const { salt } = await postJson<GetSaltResponse>(
    'salt',
    `${network.saltUrl}/get_salt`,
    { token: jwt } satisfies GetSaltRequest,
    {
      transport: p.httpTransport,
      // A 4xx (but 429) is the salt service refusing this token (audience, issuer, claims): a refused login,
      // not an outage.
      onError: (status, code, message) =>
        status >= 400 && status < 500 && status !== 429
          ? new LoginRefusedError('salt', status, code, message)
          : undefined,
    },
  );

  progress('proof', network.proverUrl);
  if (!network.proverUrl) throw new ServiceError('prover', 0, undefined, 'the network has no prover');
  // The wire types are @zksso/core's, the ones the prover and the salt service answer with.
  const proved = await postJson<ProveResponse>(
    'prover',
    `${network.proverUrl}/v1`,
    {
      jwt,
      ephemeralPublicKey:
        ephemeralPublicKey.type === 'p256'
          ? { type: 'p256', x: ephemeralPublicKey.x.toString(), y: ephemeralPublicKey.y.toString() }
          : ephemeralPublicKey,
      expiry: expiry.toString(),
      jwtRandomness: randomness.toString(),
      salt,
    } satisfies ProveRequestBody,
    {
      transport: p.httpTransport,
      onError: (_status, code, message) => new ProofRefusedError('prover', message, code),
    },
  );
  const keyId = ephemeralKeyId(ephemeralPublicKey);
  if (proved.keyId.toLowerCase() !== keyId.toLowerCase() || BigInt(proved.expiry) !== expiry) {
    throw new ProofRefusedError('prover', 'the prover answered a proof for another key or expiry');
  }

  progress('address');
  const issHash = BigInt(proved.issHash);
  const idc = BigInt(proved.identityCommitment);
  const address = await clients.publicClient.readContract({
    address: network.addresses.factory,
    abi: zkSsoAccountFactoryAbi,
    functionName: 'getOpenIdAccountAddress',
    args: [issHash, idc],
  });
  const session: ZkLoginSession = {
    version: 1,
    chainId: network.chainId,
    address,
    issuer,
    clientId,
    issHash: issHash.toString(),
    idc: idc.toString(),
    ...(ephemeralPublicKey.type === 'p256'
      ? {
          ephemeralKeyType: 'p256' as const,
          ephemeralPublicKey: bytesToHex(ephemeralKeyBytes(ephemeralPublicKey)),
        }
      : { ephemeralPrivateKey: (ephemeral as EphemeralSigner & { privateKey: Hex }).privateKey }),
    expiry: expiry.toString(),
    tier: proved.tier,
    proof: proved.proof,
    modulusHash: BigInt(proved.modulusHash).toString(),
    genesisHash: clients.genesisHash,
  };
  return {
    account: await toZkLoginSmartAccount({ network, clients, session, ephemeralKey: ephemeral }),
    session,
  };
}

/** Where WebCrypto can hold a non-extractable key for the page (a browser), P-256 is the default. */
function inBrowser(): boolean {
  return typeof (globalThis as { window?: unknown }).window !== 'undefined' && !!globalThis.crypto?.subtle;
}

async function chooseEphemeralKey(p: CreateZkLoginAccountParameters): Promise<EphemeralSigner> {
  const choice = p.ephemeralKey ?? (p.ephemeralPrivateKey ? 'secp256k1' : inBrowser() ? 'p256' : 'secp256k1');
  if (choice === 'p256') return createP256EphemeralKey();
  if (choice === 'secp256k1') {
    return createSecp256k1EphemeralKey(p.ephemeralPrivateKey ? { privateKey: p.ephemeralPrivateKey } : {});
  }
  // A signer of the caller's: a secp256k1 one must expose its private key, which the session saves.
  if (choice.publicKey.type === 'secp256k1' && !('privateKey' in choice)) {
    throw new TypeError('a secp256k1 ephemeralKey must carry its privateKey (the session saves it)');
  }
  return choice;
}
