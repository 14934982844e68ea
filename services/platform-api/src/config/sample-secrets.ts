import { isSampleSecret } from '@dezky/contracts';

/** The secrets of the API that .env.example gives sample values for. */
const SECRET_VARIABLES = ['EVENT_STREAM_SECRET', 'AUTHENTIK_API_TOKEN'] as const;

/**
 * With APP_ENV=production, the one-line complaint about the first of the API's secrets still set
 * to a sample value of .env.example (anyone can read those); undefined when none is.
 */
export function sampleSecretInUse(env: { APP_ENV: string } & Partial<Record<(typeof SECRET_VARIABLES)[number], string>>): string | undefined {
  if (env.APP_ENV !== 'production') return undefined;
  const name = SECRET_VARIABLES.find((n) => isSampleSecret(env[n]));
  return name && `${name}: is the sample value of .env.example, which anyone can read; set a secret of your own when APP_ENV=production`;
}
