export {
  APP_KEYS,
  APP_SLUGS,
  applicationMountPath,
  CLI_REDIRECT_URI,
  DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  DEFAULT_CLIENT_SECRETS,
  DEFAULT_PORT,
  DEFAULT_USERS,
  DevIdpProductionError,
  assertNotProduction,
  defaultRedirectUris,
} from './config.js';
export type {
  DevIdpAppKey,
  DevIdpClientOptions,
  DevIdpUser,
  PrivateJwks,
  StartDevIdpOptions,
  TokenEndpointAuthMethod,
} from './config.js';
export { startDevIdp } from './server.js';
export type { DevIdpApplication, DevIdpHandle } from './server.js';
export { CookieJar, DevIdpFlowError, discover, obtainTokens, refreshTokens } from './client.js';
export type { DiscoveryDocument, ObtainTokensOptions, RefreshTokensOptions, TokenSet } from './client.js';
export { generateSigningJwks } from './keys.js';
