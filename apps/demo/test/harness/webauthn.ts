import type { CDPSession, Page } from 'playwright-core';

/** A credential as the DevTools protocol exports it (`WebAuthn.Credential`). */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/**
 * One passkey authenticator that follows the user across windows and browser contexts: Chromium's virtual
 * authenticator (DevTools `WebAuthn.addVirtualAuthenticator`: CTAP2, internal, resident keys, user
 * verification) attached to each page that needs it, with the credentials made so far copied in and out
 * (`WebAuthn.getCredentials` / `addCredential`). A virtual authenticator belongs to one page, so the same
 * device in a new pop-up, or in a fresh browser profile, is this object attached again.
 *
 * @example
 * ```ts
 * const device = new VirtualPasskeyDevice();
 * await device.attach(popup);          // before clicking "Sign up with a passkey"
 * await device.save(popup);            // keep what the page created
 * await device.attach(otherPopup);     // the same passkeys, another window or profile
 * ```
 */
export class VirtualPasskeyDevice {
  /** Every credential this device holds, as last saved. */
  credentials: VirtualCredential[] = [];
  private readonly attached = new Map<Page, { cdp: CDPSession; authenticatorId: string }>();

  /** Adds a virtual authenticator to `page` holding this device's credentials. */
  async attach(page: Page): Promise<void> {
    if (this.attached.has(page)) return;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    for (const credential of this.credentials)
      await cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
    this.attached.set(page, { cdp, authenticatorId });
    page.once('close', () => this.attached.delete(page));
  }

  /** Copies the credentials of `page`'s authenticator into this device (call it before the page closes). */
  async save(page: Page): Promise<VirtualCredential[]> {
    const entry = this.attached.get(page);
    if (!entry) throw new Error('no virtual authenticator on this page');
    const { credentials } = (await entry.cdp.send('WebAuthn.getCredentials', {
      authenticatorId: entry.authenticatorId,
    })) as { credentials: VirtualCredential[] };
    const known = new Map(this.credentials.map((c) => [c.credentialId, c]));
    for (const credential of credentials) known.set(credential.credentialId, credential);
    this.credentials = [...known.values()];
    return credentials;
  }

  /** Forgets a credential (a lost device), everywhere this device is attached from now on. */
  forget(credentialId: string): void {
    this.credentials = this.credentials.filter((c) => c.credentialId !== credentialId);
  }
}
