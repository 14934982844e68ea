// What the global setup tells the tests about the running stack.
export interface StackInfo {
  operatorUrl: string;
  portalUrl: string;
  apiUrl: string;
  idpBaseUrl: string;
  /** Playwright's endpoint of the one Chromium shared by every test file. */
  browserWsEndpoint: string;
  /** Access tokens last this long, so the tests can watch them being refreshed. */
  accessTokenTtlSeconds: number;
  /** The IdP's issuer of each app (ending in a slash). */
  issuers: { operator: string; portal: string };
  /** The apps' session passwords (random per run), for tests that forge a session. */
  sessionPasswords: { operator: string; portal: string };
  /** The apps' stores of signed-out sessions (NUXT_SESSION_STORE_DIR), for extra replicas. */
  sessionStoreDirs: { operator: string; portal: string };
  logDir: string;
  /** The zone of the DNS server the API asks for domain verification records (`dnsZone()` changes it). */
  dnsZoneFile: string;
  /** The API's database (to store data as it would be after weeks of use). */
  mongoUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}
