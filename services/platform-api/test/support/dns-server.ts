import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';

/** How the test server answers for one name. */
export type DnsAnswer = { txt: string[] } | { rcode: 'SERVFAIL' | 'REFUSED' } | 'silent';

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface TestDns {
  /** `127.0.0.1:<port>`, for DNS_RESOLVER. */
  address: string;
  /** TXT records of `name` (each value one record); `[]`: the name exists without TXT records. */
  setTxt(name: string, values: string[]): void;
  /** Answer every query for `name` this way; names never set do not exist (NXDOMAIN). */
  set(name: string, answer: DnsAnswer): void;
  clear(name: string): void;
  /** Every TXT name asked about, in order. */
  queries: string[];
  close(): Promise<void>;
}

/**
 * A real DNS server on 127.0.0.1 (UDP, dns-packet) answering from a zone the test controls, as
 * an authoritative server would: the resolver of the API under test asks it.
 */
export async function startTestDns(): Promise<TestDns> {
  const zone = new Map<string, DnsAnswer>();
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
    const answer = zone.get(name);
    if (answer === 'silent') return;
    let rcode: number = RCODES.NXDOMAIN;
    const answers: dnsPacket.Answer[] = [];
    if (answer && 'rcode' in answer) rcode = RCODES[answer.rcode];
    else if (answer) {
      rcode = RCODES.NOERROR;
      if (question.type === 'TXT') for (const value of answer.txt) answers.push({ type: 'TXT', name: question.name, ttl: 0, data: [value] });
    }
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode,
      questions: [question],
      answers,
    });
    socket.send(response, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    setTxt: (name, values) => zone.set(name.toLowerCase(), { txt: values }),
    set: (name, answer) => zone.set(name.toLowerCase(), answer),
    clear: (name) => zone.delete(name.toLowerCase()),
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
