/**
 * The secret values of the repository's .env.example, exactly: samples anyone can read. A
 * production server refuses to start with one of them (the API's EVENT_STREAM_SECRET and
 * AUTHENTIK_API_TOKEN, the apps' NUXT_SESSION_PASSWORD and NUXT_OAUTH_OIDC_CLIENT_SECRET).
 * deploy/test/env-example.spec.ts checks that every secret of .env.example is listed here.
 */
export const SAMPLE_SECRETS = [
  'sample-authentik-secret-key-change-me-0123456789abcdefghijklmnop',
  'sample-authentik-postgresql-password-change-me',
  'sample-akadmin-password-change-me',
  'sample-authentik-api-token-change-me-0123456789',
  'sample-dezky-admin-password-change-me',
  'sample-operator-oidc-client-secret-change-me',
  'sample-portal-oidc-client-secret-change-me',
  'sample-operator-session-password-change-me-0123456789',
  'sample-portal-session-password-change-me-0123456789',
  'sample-event-stream-secret-change-me-0123456789',
] as const;

/** Whether a configured secret is one of .env.example's published samples. */
export function isSampleSecret(value: string | undefined): boolean {
  return value !== undefined && (SAMPLE_SECRETS as readonly string[]).includes(value);
}
