// The stack's DNS server: answers the API's lookups of domain verification records (TXT) from a
// zone file that the tests write, so a test publishes a record the way a customer would at their
// DNS provider. UDP on 127.0.0.1 (dns-packet); names not in the zone do not exist (NXDOMAIN).
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';

/** TXT records by name (lower-case ASCII), each value one record. */
export type Zone = Record<string, string[]>;

export interface DnsServer {
  /** `127.0.0.1:<port>`, for the API's DNS_RESOLVER. */
  address: string;
  stop(): Promise<void>;
}

const NOERROR = 0;
const NXDOMAIN = 3;

function readZone(zoneFile: string): Zone {
  try {
    return JSON.parse(readFileSync(zoneFile, 'utf8')) as Zone;
  } catch {
    return {};
  }
}

export async function startDnsServer(zoneFile: string): Promise<DnsServer> {
  await writeFile(zoneFile, '{}\n');
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
    // Read on every query: a record a test publishes is answered at once (the answers carry TTL 0).
    const records = readZone(zoneFile)[question.name.toLowerCase()];
    const answers: dnsPacket.Answer[] =
      records && question.type === 'TXT' ? records.map((value) => ({ type: 'TXT', name: question.name, ttl: 0, data: [value] })) : [];
    const rcode = records ? NOERROR : NXDOMAIN;
    const flags = dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode;
    socket.send(dnsPacket.encode({ type: 'response', id: query.id, flags, questions: [question], answers }), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Publishes `values` as the TXT records of `name` (replacing its records), for the stack's DNS server. */
export async function publishTxt(zoneFile: string, name: string, values: string[]): Promise<void> {
  const zone = JSON.parse(await readFile(zoneFile, 'utf8')) as Zone;
  zone[name.toLowerCase()] = values;
  await writeFile(zoneFile, `${JSON.stringify(zone, null, 2)}\n`);
}
