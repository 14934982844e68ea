// A real DNS server for domain verification and webhook endpoints: UDP on 127.0.0.1 (dns-packet), answering the API's
// resolver (DNS_RESOLVER) from a zone the test controls, as a domain's authoritative server would.
// Names never set do not exist (NXDOMAIN); every answer carries TTL 0, so a change is seen at once.
//
// The zone lives in this process, or in a file (`zoneFile`) when the records are set from other
// processes: the browser tests' global setup runs the server, their test files publish records
// through `dnsZoneFile(path)`. The file is read on every query and replaced whole on every change.
import { createSocket } from 'node:dgram';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { register } from './processes.js';

/** How the server answers every query for one name: TXT records, addresses (A and AAAA), a failure, or nothing. */
export type DnsAnswer = { txt: string[] } | { addresses: string[] } | { rcode: 'SERVFAIL' | 'REFUSED' } | 'silent';

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** The records of one zone; names are compared in lower case. */
export interface DnsZone {
  /** Replaces the TXT records of `name` (each value one record); `[]`: the name exists without any. */
  setTxt(name: string, values: string[]): void;
  /** Replaces the addresses of `name`: IPv4 ones answer A queries, IPv6 ones AAAA queries. */
  setAddresses(name: string, addresses: string[]): void;
  /** Answers every query for `name` this way (a failure, or no answer at all). */
  set(name: string, answer: DnsAnswer): void;
  /** `name` does not exist again. */
  clear(name: string): void;
}

export interface DnsServer extends DnsZone {
  /** `127.0.0.1:<port>`, for the API's DNS_RESOLVER. */
  address: string;
  /** Every TXT name asked about, in order. */
  queries: string[];
  stop(): Promise<void>;
}

export interface DnsServerOptions {
  /** Keeps the zone in this file (created empty), so `dnsZoneFile(path)` can change it from any process. */
  zoneFile?: string;
}

interface ZoneStore {
  get(name: string): DnsAnswer | undefined;
  put(name: string, answer: DnsAnswer | undefined): void;
}

function memoryStore(): ZoneStore {
  const zone = new Map<string, DnsAnswer>();
  return {
    get: (name) => zone.get(name),
    put: (name, answer) => (answer === undefined ? zone.delete(name) : zone.set(name, answer)),
  };
}

function fileStore(zoneFile: string): ZoneStore {
  const read = (): Record<string, DnsAnswer> => JSON.parse(readFileSync(zoneFile, 'utf8')) as Record<string, DnsAnswer>;
  return {
    get: (name) => read()[name],
    put: (name, answer) => {
      const zone = read();
      if (answer === undefined) delete zone[name];
      else zone[name] = answer;
      // Renamed into place: the server never reads half a zone.
      const next = `${zoneFile}.${process.pid}.next`;
      writeFileSync(next, `${JSON.stringify(zone, null, 2)}\n`);
      renameSync(next, zoneFile);
    },
  };
}

function zoneOf(store: ZoneStore): DnsZone {
  return {
    setTxt: (name, values) => store.put(name.toLowerCase(), { txt: [...values] }),
    setAddresses: (name, addresses) => store.put(name.toLowerCase(), { addresses: [...addresses] }),
    set: (name, answer) => store.put(name.toLowerCase(), answer),
    clear: (name) => store.put(name.toLowerCase(), undefined),
  };
}

/** The zone of a server started with `zoneFile`, changed from this process. */
export function dnsZoneFile(zoneFile: string): DnsZone {
  return zoneOf(fileStore(zoneFile));
}

/** Starts the DNS server on 127.0.0.1 and a free UDP port; resolves once it is bound. */
export async function startDnsServer(options: DnsServerOptions = {}): Promise<DnsServer> {
  if (options.zoneFile) writeFileSync(options.zoneFile, '{}\n');
  const store = options.zoneFile ? fileStore(options.zoneFile) : memoryStore();
  const queries: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (message, peer) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    if (question.type === 'TXT') queries.push(name);
    const answer = store.get(name);
    if (answer === 'silent') return;
    let rcode: number = RCODES.NXDOMAIN;
    const answers: dnsPacket.Answer[] = [];
    if (answer && 'rcode' in answer) rcode = RCODES[answer.rcode];
    else if (answer) {
      rcode = RCODES.NOERROR;
      if (question.type === 'TXT' && 'txt' in answer) for (const value of answer.txt) answers.push({ type: 'TXT', name: question.name, ttl: 0, data: [value] });
      if ((question.type === 'A' || question.type === 'AAAA') && 'addresses' in answer) {
        for (const address of answer.addresses) {
          if (address.includes(':') === (question.type === 'AAAA')) answers.push({ type: question.type, name: question.name, ttl: 0, data: address });
        }
      }
    }
    const flags = dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode;
    socket.send(dnsPacket.encode({ type: 'response', id: query.id, flags, questions: [question], answers }), peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= new Promise<void>((resolve) => socket.close(() => resolve())));
  register({ stop });
  return {
    ...zoneOf(store),
    address: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    queries,
    stop,
  };
}
