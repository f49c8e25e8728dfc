/** The hostile SAML suite (hostile-attacks.ts) against an Entra connection. */
import { hostileSuite } from './hostile-attacks';
import { entraKind } from './hostile-kinds';

hostileSuite('entra', entraKind);
