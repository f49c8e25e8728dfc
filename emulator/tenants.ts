/**
 * One emulated Entra tenant: its directory, its token-signing certificates (with rollover),
 * the service providers it knows and the admin consents it has recorded.
 * Protocol work (metadata, responses, pages) lives in the other files; this is state + rules.
 */
import type {
  EmulatedTenant,
  EmulatedUser,
  IssueSamlResponseInput,
  IssuedSamlResponse,
  NewUserInput,
  RegisteredApplication,
  SigningCertificateInfo,
  SigningMode,
} from './index';
import { newSigningCertificate, type SigningCertificate } from './certificates';
import { Directory } from './directory';
import { EmulatorError } from './errors';
import { buildSamlResponse } from './saml-response';

export interface TenantInit {
  tenantId: string;
  name: string;
  signing: SigningMode;
  appId?: string;
}

export class Tenant implements EmulatedTenant {
  readonly tenantId: string;
  readonly appId?: string;
  readonly directory: Directory;
  private _name: string;
  private _signing: SigningMode;
  private certs: SigningCertificate[] = [];
  private readonly consents = new Map<string, Date>();
  private readonly apps = new Map<string, RegisteredApplication>();

  constructor(
    init: TenantInit,
    private readonly base: () => string,
    private readonly changed: () => void,
  ) {
    this.tenantId = init.tenantId;
    this._name = init.name;
    this._signing = init.signing;
    if (init.appId) this.appId = init.appId;
    this.directory = new Directory(changed);
  }

  get issuer(): string {
    return `https://sts.windows.net/${this.tenantId}/`;
  }
  get name(): string {
    return this._name;
  }
  set name(value: string) {
    this._name = value;
    this.changed();
  }
  get signing(): SigningMode {
    return this._signing;
  }
  set signing(value: SigningMode) {
    if (!['assertion', 'response', 'both'].includes(value)) throw new EmulatorError(400, `Invalid signing mode '${value}'`);
    this._signing = value;
    this.changed();
  }

  metadataUrl(appId?: string): string {
    const url = `${this.base()}/${encodeURIComponent(this.tenantId)}/federationmetadata/2007-06/federationmetadata.xml`;
    return appId ? `${url}?appid=${encodeURIComponent(appId)}` : url;
  }
  ssoUrl(): string {
    return `${this.base()}/${encodeURIComponent(this.tenantId)}/saml2`;
  }
  myAppsUrl(entityId: string): string {
    return `${this.base()}/${encodeURIComponent(this.tenantId)}/myapps/signin?app=${encodeURIComponent(entityId)}`;
  }

  // --- directory -------------------------------------------------------------------------
  users(): EmulatedUser[] {
    return this.directory.list();
  }
  addUser(u: NewUserInput): EmulatedUser {
    return this.directory.add(u);
  }
  removeUser(emailOrObjectId: string): void {
    this.directory.remove(emailOrObjectId);
  }
  recreateUser(email: string): EmulatedUser {
    return this.directory.recreate(email);
  }
  setGroups(email: string, groups: string[]): void {
    this.directory.setGroups(email, groups);
  }
  findUser(email: string): EmulatedUser | undefined {
    return this.directory.find(email);
  }

  // --- certificates: several may be published, exactly one signs ---------------------------
  addSigningCertificate(): { thumbprint: string; certPem: string } {
    const cert = newSigningCertificate();
    if (this.certs.length === 0) cert.active = true; // a tenant always has a signer
    this.certs.push(cert);
    this.changed();
    return { thumbprint: cert.thumbprint, certPem: cert.certPem };
  }
  activateSigningCertificate(thumbprint: string): void {
    const cert = this.certificate(thumbprint);
    for (const c of this.certs) c.active = c === cert;
    this.changed();
  }
  removeSigningCertificate(thumbprint: string): void {
    const cert = this.certificate(thumbprint);
    if (cert.active) throw new EmulatorError(400, `Certificate ${cert.thumbprint} is active; activate another one before removing it`);
    this.certs = this.certs.filter((c) => c !== cert);
    this.changed();
  }
  signingCertificates(): SigningCertificateInfo[] {
    return this.certs.map((c) => ({ thumbprint: c.thumbprint, certPem: c.certPem, active: c.active, notAfter: c.notAfter }));
  }
  /** Internal: the key material that signs assertions and metadata now. */
  activeCertificate(): SigningCertificate {
    const cert = this.certs.find((c) => c.active);
    if (!cert) throw new Error(`tenant ${this.tenantId} has no active signing certificate`);
    return cert;
  }
  /** Internal: all certificates with keys, for persistence. */
  certificateRecords(): SigningCertificate[] {
    return [...this.certs];
  }
  restoreCertificates(certs: SigningCertificate[]): void {
    if (certs.filter((c) => c.active).length !== 1) throw new Error(`tenant ${this.tenantId}: exactly one certificate must be active`);
    this.certs = [...certs];
  }
  private certificate(thumbprint: string): SigningCertificate {
    const wanted = thumbprint.replace(/[:\s]/g, '').toUpperCase();
    const cert = this.certs.find((c) => c.thumbprint === wanted);
    if (!cert) throw new EmulatorError(404, `No signing certificate with thumbprint ${thumbprint} in tenant ${this.tenantId}`);
    return cert;
  }

  // --- SSO ---------------------------------------------------------------------------------
  issueSamlResponse(input: IssueSamlResponseInput): IssuedSamlResponse {
    return buildSamlResponse(this, input);
  }

  // --- admin consent -----------------------------------------------------------------------
  recordConsent(clientId: string, at = new Date()): void {
    this.consents.set(clientId, at);
    this.changed();
  }
  consented(clientId: string): boolean {
    return this.consents.has(clientId);
  }
  consentRecords(): { clientId: string; at: Date }[] {
    return [...this.consents].map(([clientId, at]) => ({ clientId, at }));
  }

  // --- service providers ---------------------------------------------------------------------
  registerApplication(app: RegisteredApplication): void {
    const previous = this.apps.get(app.entityId);
    this.apps.set(app.entityId, { ...previous, ...app });
    this.changed();
  }
  application(entityId: string): RegisteredApplication | undefined {
    return this.apps.get(entityId);
  }
  applications(): RegisteredApplication[] {
    return [...this.apps.values()].map((a) => ({ ...a }));
  }
}
