/**
 * Entra ID emulator: an HTTP server speaking Microsoft Entra ID's SAML-side protocols for any
 * number of emulated tenants. Used by the dev stack (`npm run emulator`), integration tests and
 * browser tests. Real Entra cannot be reached from our machines; this is its stand-in.
 *
 * Programmatic use:
 *   const entra = createEntraEmulator();                       // optional { baseUrl }
 *   const { url, close } = await entra.listen(0);              // random port; sets baseUrl
 *   const t = entra.createTenant({ name: 'Contoso' });         // GUID tenantId, one active cert
 *   const alice = t.addUser({ email: 'alice@contoso.com', groups: ['g1'] });
 *   t.metadataUrl();                                           // give this to the SP
 *   const { samlResponse } = t.issueSamlResponse({ email: alice.email, acsUrl, audience });
 *   t.addSigningCertificate(); t.activateSigningCertificate(thumb);   // rollover
 *
 * HTTP endpoints (paths as Entra's):
 *   GET  /<tid>/federationmetadata/2007-06/federationmetadata.xml[?appid=]  signed metadata
 *   GET  /<tid>/saml2?SAMLRequest=&RelayState=   AuthnRequest (Redirect binding) → sign-in page;
 *                                                 LogoutRequest → LogoutResponse or signed-out page
 *   POST /<tid>/saml2                              AuthnRequest (POST binding)
 *   POST /<tid>/saml2/login                        sign-in form → auto-POST page to the ACS
 *   GET  /<tid>/adminconsent?client_id=&redirect_uri=&state=   consent page (POST = decision)
 *   /okta/app/…                                    Okta apps: metadata, SSO (see okta/router.ts)
 *   /_admin/…                                      JSON admin API (see admin-api.ts); GET / directory
 *
 * Browser selectors: sign-in `button.user-pick[data-email="<email>"]`, `#email` + `#signin-submit`,
 * error `#error`; auto-post `form#saml-post` (inputs SAMLResponse, RelayState) + `#continue`;
 * consent `#accept` / `#cancel`.
 *
 * Unknown tenants answer 400 with AADSTS90002, unknown users AADSTS50034, like Entra.
 */
import { DnsZones, startDnsServer, type RunningDns } from './dns/zones';
import type { Express } from 'express';
import type { IdpLogoutInput, IssuedLogoutRequest } from './logout';
import type { GraphScript } from './graph';
export type { GraphScript } from './graph';
export type { IdpLogoutInput, IssuedLogoutRequest } from './logout';
import { buildApp } from './app';
import { warmKeyPool } from './key-pool';
import { listenOn } from './listen';
import type { EmulatorState } from './state';
import { TenantStore } from './tenant-store';
import { OktaApps, type OktaApp, type OktaAppInit } from './okta/org';

export type SigningMode = 'assertion' | 'response' | 'both';

export interface EmulatorOptions {
  /** Public base URL (no trailing slash needed). Default: http://127.0.0.1:<port> once listening. */
  baseUrl?: string;
}

export interface EmulatedUser {
  objectId: string; // immutable `oid`; a recreated user gets a new one
  email: string; // also the UPN / NameID
  displayName: string; // defaults to the email's local part
  givenName?: string;
  surname?: string;
  groups: string[]; // group object IDs
  /** Signs in with multi-factor authentication (as Conditional Access would demand): the token's authnmethodsreferences says so. */
  mfa?: boolean;
  /** App roles assigned to the user for the application (the token's `role` claim values). */
  roles?: string[];
}

export type NewUserInput = Omit<EmulatedUser, 'objectId' | 'displayName' | 'groups'> &
  Partial<Pick<EmulatedUser, 'objectId' | 'displayName' | 'groups'>>;

export interface CreateTenantInput {
  tenantId?: string; // default: random GUID
  name?: string; // default: "Tenant <first 8 chars of id>"
  signing?: SigningMode; // default 'assertion' (Entra's default)
  appId?: string; // the SP's application (client) ID in this tenant, informational
}

/** A service provider known to the tenant (like an Entra enterprise application). */
export interface RegisteredApplication {
  entityId: string; // Identifier (Entity ID) = AuthnRequest Issuer = Audience
  replyUrl?: string; // ACS used when an AuthnRequest names none
  logoutUrl?: string; // SP single-logout URL: where LogoutResponses are sent
  relayState?: string; // Entra's "Relay State (Optional)": sent with IdP-initiated sign-ins
}

export interface SamlResponseOverrides {
  issuer: string;
  /** The tenantid claim (Entra), or the org attribute statement's value (Okta). */
  tenantIdClaim: string;
  /** Sign other parts than the IdP's setting does (attack tests: a Response signed over an unsigned Assertion). */
  signing: SigningMode;
  notBefore: Date;
  notOnOrAfter: Date; // Conditions and SubjectConfirmationData
  destination: string;
  recipient: string;
}

export interface IssueSamlResponseInput {
  email: string;
  acsUrl: string;
  audience: string;
  inResponseTo?: string;
  relayState?: string;
  now?: Date;
  overrides?: Partial<SamlResponseOverrides>;
}

export interface IssuedSamlResponse {
  samlResponse: string; // base64, ready to POST as SAMLResponse
  relayState?: string;
  xml: string;
}

export interface SigningCertificateInfo {
  thumbprint: string; // SHA-1, upper-case hex
  certPem: string;
  active: boolean;
  notAfter: Date;
}

export interface EmulatedTenant {
  readonly tenantId: string;
  name: string;
  signing: SigningMode;
  readonly appId?: string;
  /** https://sts.windows.net/<tid>/ — the IdP entity ID and assertion Issuer. */
  readonly issuer: string;
  metadataUrl(appId?: string): string;
  ssoUrl(): string; // <base>/<tid>/saml2
  /** My Apps tile of a registered application: starts an IdP-initiated sign-in. */
  myAppsUrl(entityId: string): string;
  users(): EmulatedUser[];
  addUser(u: NewUserInput): EmulatedUser;
  removeUser(emailOrObjectId: string): void;
  recreateUser(email: string): EmulatedUser;
  setGroups(email: string, groups: string[]): void;
  findUser(email: string): EmulatedUser | undefined;
  addSigningCertificate(): { thumbprint: string; certPem: string };
  activateSigningCertificate(thumbprint: string): void;
  removeSigningCertificate(thumbprint: string): void;
  signingCertificates(): SigningCertificateInfo[];
  issueSamlResponse(input: IssueSamlResponseInput): IssuedSamlResponse;
  /** An administrator's consent to an application (what the admin-consent flow records). */
  recordConsent(clientId: string): void;
  /** Graph: how many getMemberGroups calls (pages included) this tenant answered or throttled. */
  graphCalls(): number;
  /** Graph: `child` is a member of `parent` (transitive membership follows it). */
  nestGroup(child: string, parent: string): void;
  /** Graph: page size of getMemberGroups, and the next calls answered 429 with Retry-After. */
  scriptGraph(script: GraphScript): void;
  /** A signed LogoutRequest from Entra to an SP (single logout started at Entra), both bindings. */
  issueLogoutRequest(input: IdpLogoutInput): IssuedLogoutRequest;
  consented(clientId: string): boolean;
  registerApplication(app: RegisteredApplication): void;
  applications(): RegisteredApplication[];
}

export interface EntraEmulator {
  app: Express; // does not listen
  listen(port?: number, host?: string): Promise<{ url: string; close(): Promise<void> }>;
  baseUrl(): string;
  /** Zone records of the loopback DNS server (domain proofs); also under /_admin/dns. */
  dns: DnsZones;
  /** Serves `dns` on UDP (port 0: any); the address is host:port for a resolver. */
  startDns(port?: number, host?: string): Promise<RunningDns>;
  createTenant(input?: CreateTenantInput): EmulatedTenant;
  /** An Okta org's SAML app served by this emulator at Okta's paths under /okta (okta/router.ts). */
  createOktaApp(init?: OktaAppInit): OktaApp;
  getTenant(tenantId: string): EmulatedTenant | undefined;
  listTenants(): EmulatedTenant[];
  /** Everything, private keys included (for ENTRA_EMULATOR_STATE persistence). */
  exportState(): EmulatorState;
  importState(state: EmulatorState): void;
  /** Called after every change of tenants, users, certificates or consents. Returns unsubscribe. */
  onChange(listener: () => void): () => void;
}

export function createEntraEmulator(opts: EmulatorOptions = {}): EntraEmulator {
  warmKeyPool(); // start RSA key generation now, while the caller is still setting up
  let base = opts.baseUrl?.replace(/\/+$/, '');
  const listeners = new Set<() => void>();
  const requireBase = () => {
    if (!base) throw new Error('Entra emulator base URL unknown: call listen() first or pass { baseUrl }');
    return base;
  };
  const store = new TenantStore(requireBase, () => listeners.forEach((l) => l()));
  const zones = new DnsZones();
  const okta = new OktaApps(requireBase);
  const app = buildApp(store, okta, () => base, zones);
  return {
    app,
    async listen(port = 0, host = '127.0.0.1') {
      const server = await listenOn(app, port, host);
      base ??= server.url;
      return server;
    },
    baseUrl: requireBase,
    dns: zones,
    startDns: (port, host) => startDnsServer(zones, port, host),
    createTenant: (input) => store.create(input),
    createOktaApp: (init) => okta.create(init),
    getTenant: (tid) => store.get(tid),
    listTenants: () => store.list(),
    exportState: () => store.exportState(),
    importState: (state) => store.importState(state),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export { EmulatorError } from './errors';
export type { EmulatorState } from './state';
