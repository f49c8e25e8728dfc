/** The hostile SAML suite (hostile-attacks.ts) against an Okta connection (Response and Assertion both signed). */
import { hostileSuite } from './hostile-attacks';
import { oktaKind } from './hostile-kinds';

hostileSuite('okta', oktaKind);
