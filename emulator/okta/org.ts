/**
 * One emulated Okta org with one SAML app in it: Okta's issuer (`http://www.okta.com/<app id>`),
 * SSO URL and metadata, its users (the shared Directory: a recreated user gets a new ID), and
 * responses in Okta's shape (response.ts). Keys and certificates are the Entra emulator's code.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatedUser, IssueSamlResponseInput, IssuedSamlResponse, NewUserInput } from '../index';
import { newSigningCertificate, type SigningCertificate } from '../certificates';
import { Directory } from '../directory';
import { oktaMetadataXml } from './metadata';
import { buildOktaResponse } from './response';

export const OKTA_NAMEID_FORMATS = {
  email: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
} as const;
export type OktaNameId = keyof typeof OKTA_NAMEID_FORMATS;

export interface OktaAppInit {
  name?: string;
  /** The app's "Name ID format": Okta's default is emailAddress. */
  nameId?: OktaNameId;
  /** An extra attribute statement naming the org, e.g. { name: 'organization', value: 'acme' }. */
  orgAttribute?: { name: string; value: string };
  /** The app's "Single sign-on URL" (the SP's ACS) and "Audience URI"; unset, requests name them. */
  sp?: { acsUrl: string; audience: string };
}

const alnum = (n: number) =>
  [...randomBytes(n)].map((b) => '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'[b % 62]).join('');

/** Okta user IDs look like 00u1a2b3c4D5e6F7g8h9: derived from the directory's immutable ID. */
export const oktaUserId = (user: Pick<EmulatedUser, 'objectId'>) => `00u${user.objectId.replace(/-/g, '').slice(0, 17)}`;

export class OktaApp {
  readonly appId = `exk${alnum(17)}`;
  readonly name: string;
  readonly nameId: OktaNameId;
  readonly orgAttribute?: { name: string; value: string };
  readonly sp?: { acsUrl: string; audience: string };
  readonly directory = new Directory(() => {});
  private readonly cert: SigningCertificate = newSigningCertificate();

  constructor(
    private readonly base: () => string,
    init: OktaAppInit = {},
  ) {
    this.name = init.name ?? 'Acme';
    this.nameId = init.nameId ?? 'email';
    if (init.orgAttribute) this.orgAttribute = init.orgAttribute;
    if (init.sp) this.sp = init.sp;
  }

  /** Okta's "Identity Provider Issuer". */
  get issuer(): string {
    return `http://www.okta.com/${this.appId}`;
  }
  ssoUrl(): string {
    return `${this.base()}/okta/app/entrada/${this.appId}/sso/saml`;
  }
  metadataUrl(): string {
    return `${this.base()}/okta/app/${this.appId}/sso/saml/metadata`;
  }
  metadataXml(): string {
    return oktaMetadataXml(this);
  }

  users(): EmulatedUser[] {
    return this.directory.list();
  }
  addUser(u: NewUserInput): EmulatedUser {
    return this.directory.add(u);
  }
  findUser(email: string): EmulatedUser | undefined {
    return this.directory.find(email);
  }
  recreateUser(email: string): EmulatedUser {
    return this.directory.recreate(email);
  }
  setGroups(email: string, groups: string[]): void {
    this.directory.setGroups(email, groups);
  }

  signingCertificates(): { certPem: string; thumbprint: string; notAfter: Date }[] {
    return [{ certPem: this.cert.certPem, thumbprint: this.cert.thumbprint, notAfter: this.cert.notAfter }];
  }
  /** Internal: the key that signs responses. */
  signingKey(): { privateKeyPem: string; certPem: string } {
    return { privateKeyPem: this.cert.privateKeyPem, certPem: this.cert.certPem };
  }

  issueSamlResponse(input: IssueSamlResponseInput): IssuedSamlResponse {
    return buildOktaResponse(this, input);
  }
}

/** The Okta apps an emulator serves over HTTP (okta/router.ts), by app ID. */
export class OktaApps {
  private readonly apps = new Map<string, OktaApp>();

  constructor(private readonly base: () => string) {}

  create(init: OktaAppInit = {}): OktaApp {
    const app = new OktaApp(this.base, init);
    this.apps.set(app.appId, app);
    return app;
  }
  get(appId: string): OktaApp | undefined {
    return this.apps.get(appId);
  }
  list(): OktaApp[] {
    return [...this.apps.values()];
  }
}
