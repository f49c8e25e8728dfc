/**
 * The loopback DNS server for domain proofs: an authoritative server (npm `dns2`, on UDP)
 * answering from zone records the tests and dev scripts set. A name can also be made
 * to fail the way real servers do: SERVFAIL, or no answer at all (a timeout).
 */
import dns2 from 'dns2';

const { Packet } = dns2;

export type ZoneEntry = { txt: string[][] } | { fault: 'servfail' | 'timeout' };

export class DnsZones {
  private readonly entries = new Map<string, ZoneEntry>();

  /** TXT records of a name, each record as its character-strings (one record may be split in several). */
  set(name: string, entry: ZoneEntry): void {
    this.entries.set(normalise(name), entry);
  }
  delete(name: string): boolean {
    return this.entries.delete(normalise(name));
  }
  get(name: string): ZoneEntry | undefined {
    return this.entries.get(normalise(name));
  }
  list(): { name: string; entry: ZoneEntry }[] {
    return [...this.entries].map(([name, entry]) => ({ name, entry }));
  }
}

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

export interface RunningDns {
  /** host:port, as Node's Resolver#setServers takes it. */
  address: string;
  close(): Promise<void>;
}

export async function startDnsServer(zones: DnsZones, port = 0, host = '127.0.0.1'): Promise<RunningDns> {
  // UDP only: our answers are small, so never truncated into a TCP retry.
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      response.header.aa = 1;
      const [question] = request.questions;
      const entry = question ? zones.get(question.name) : undefined;
      if (entry && 'fault' in entry) {
        if (entry.fault === 'timeout') return; // never answered: the resolver times out
        response.header.rcode = Packet.RCODE.SERVFAIL;
      } else if (!entry) {
        response.header.rcode = Packet.RCODE.NXDOMAIN;
      } else if (question.type === Packet.TYPE.TXT) {
        for (const strings of entry.txt) {
          // dns2 types answers as its parsed class; its encoder takes the plain record.
          const record = { name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data: strings };
          response.answers.push(record as unknown as (typeof response.answers)[number]);
        }
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port, address: host } });
  const actual = addresses.udp?.port ?? port;
  return {
    address: `${host}:${actual}`,
    close: () => server.close(),
  };
}
