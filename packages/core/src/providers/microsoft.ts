import { ProviderError } from './errors.ts';

/**
 * Tenant id of personal Microsoft accounts: ID tokens of consumer accounts carry
 * `iss = https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`.
 * Source: Microsoft identity platform ID token reference (checked in public issue threads, e.g.
 * coreos/go-oidc#121, dexidp/dex#1110).
 *
 * @example
 * ```ts
 * microsoftIssuer(MICROSOFT_CONSUMER_TENANT_ID);
 * ```
 */
export const MICROSOFT_CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * Authorities usable in Microsoft authorization URLs that are not tenants: they never appear in `iss`.
 *
 * @example
 * ```ts
 * MICROSOFT_AUTHORITIES.includes('common'); // true
 * ```
 */
export const MICROSOFT_AUTHORITIES = ['common', 'organizations', 'consumers'] as const;

/** A Microsoft authority: a multi-tenant alias or a tenant id (GUID). @example `const a: MicrosoftAuthority = 'common';` */
export type MicrosoftAuthority = (typeof MICROSOFT_AUTHORITIES)[number] | (string & {});

const GUID_ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Matches every Microsoft identity platform v2.0 tenant issuer (lowercase tenant GUID).
 *
 * @example
 * ```ts
 * MICROSOFT_ISSUER_PATTERN.test('https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0'); // true
 * ```
 */
export const MICROSOFT_ISSUER_PATTERN =
  /^https:\/\/login\.microsoftonline\.com\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0$/;

/**
 * Whether `iss` is a Microsoft v2.0 tenant issuer (`https://login.microsoftonline.com/{tenant GUID}/v2.0`).
 * The `common`/`organizations`/`consumers` forms are authorities, never issuers: they return false.
 *
 * @example
 * ```ts
 * isMicrosoftIssuer('https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0'); // true
 * isMicrosoftIssuer('https://login.microsoftonline.com/common/v2.0'); // false
 * ```
 */
export function isMicrosoftIssuer(iss: string): boolean {
  return MICROSOFT_ISSUER_PATTERN.test(iss);
}

/**
 * The tenant id inside a Microsoft issuer, or undefined for anything else.
 *
 * @example
 * ```ts
 * microsoftTenantId('https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0'); // '9188040d-…'
 * ```
 */
export function microsoftTenantId(iss: string): string | undefined {
  return MICROSOFT_ISSUER_PATTERN.exec(iss)?.[1];
}

/**
 * The v2.0 issuer of a Microsoft tenant. `consumers` maps to the personal-account tenant; `common` and
 * `organizations` are refused because tokens obtained through them carry the user's own tenant.
 * GUIDs are lowercased (as Microsoft writes them in `iss`).
 *
 * @throws ProviderError `MICROSOFT_TENANT_INVALID`.
 * @example
 * ```ts
 * microsoftIssuer('consumers'); // 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0'
 * ```
 */
export function microsoftIssuer(tenantId: string): string {
  const tenant = tenantId === 'consumers' ? MICROSOFT_CONSUMER_TENANT_ID : tenantId;
  if (typeof tenant !== 'string' || !GUID_ANY_CASE.test(tenant)) {
    throw new ProviderError(
      'MICROSOFT_TENANT_INVALID',
      'a Microsoft issuer needs a tenant id (GUID) or "consumers"',
      {
        tenantId: String(tenantId),
      },
    );
  }
  return `https://login.microsoftonline.com/${tenant.toLowerCase()}/v2.0`;
}

/**
 * Checks a Microsoft authority for authorization URLs: `common`, `organizations`, `consumers` or a tenant GUID.
 *
 * @throws ProviderError `MICROSOFT_TENANT_INVALID`.
 * @example
 * ```ts
 * microsoftAuthority('organizations'); // 'organizations'
 * ```
 */
export function microsoftAuthority(authority: string): string {
  if ((MICROSOFT_AUTHORITIES as readonly string[]).includes(authority)) return authority;
  if (typeof authority === 'string' && GUID_ANY_CASE.test(authority)) return authority.toLowerCase();
  throw new ProviderError('MICROSOFT_TENANT_INVALID', 'not a Microsoft authority or tenant id', {
    tenant: String(authority),
  });
}
