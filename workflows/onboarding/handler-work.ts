/**
 * Work that update handlers do on a staff member's behalf while the main flow waits:
 * metadata imports and domain claims. It is counted, so go-live and cancellation wait until it
 * has settled, and every failure comes back as the typed refusal the staff member sees.
 */
import { acts, refusal } from './activities';
import { note, showDetails } from './stage';
import type { OnboardingState, SamlSummary } from '../../lib/contracts/onboarding-state';
import { normalizeDomain } from '../../lib/contracts/onboarding-input';

export function handlerWork(state: OnboardingState) {
  const tenantId = state.input.tenantId;
  let inFlight = 0;

  async function counted<T>(work: () => Promise<T>): Promise<T> {
    inFlight++;
    try {
      return await work();
    } catch (err) {
      throw refusal(err);
    } finally {
      inFlight--;
    }
  }

  return {
    idle: () => inFlight === 0,

    /** On success the SAML summary replaces the old one; on refusal the error is kept for the console. */
    async importMetadata(staffEmail: string | undefined, load: () => Promise<SamlSummary>): Promise<SamlSummary> {
      try {
        state.saml = await counted(load);
        state.metadataError = undefined;
        note(
          state,
          `Federation metadata imported from ${state.saml.source === 'entra' ? 'Entra' : 'an upload'}: ${state.saml.certificates.length} signing certificate(s)`,
          staffEmail,
        );
        return state.saml;
      } catch (err) {
        const failure = refusal(err);
        state.metadataError = { type: failure.type ?? 'Error', message: failure.message, at: new Date().toISOString() };
        note(state, `Metadata refused: ${failure.message}`, staffEmail);
        throw failure;
      } finally {
        showDetails(state);
      }
    },

    async nominate(domain: string, staffEmail: string | undefined): Promise<string[]> {
      try {
        const name = await counted(() => acts.claimSsoDomain({ tenantId, domain, staffEmail }));
        if (!state.domains.includes(name)) state.domains.push(name);
        note(state, `SSO domain ${name} nominated`, staffEmail);
        return state.domains;
      } catch (err) {
        note(state, `SSO domain ${domain} refused: ${(err as Error).message}`, staffEmail);
        throw err;
      } finally {
        showDetails(state);
      }
    },

    async remove(domain: string, staffEmail: string): Promise<string[]> {
      const name = normalizeDomain(domain);
      await counted(() => acts.releaseSsoDomain({ tenantId, domain: name, staffEmail }));
      state.domains = state.domains.filter((d) => d !== name);
      note(state, `SSO domain ${name} removed`, staffEmail);
      showDetails(state);
      return state.domains;
    },
  };
}
