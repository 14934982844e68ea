// GET /auth/oidc/callback: the redirect URI registered at the identity provider.
export default defineEventHandler((event) => handleOidcSignIn(event));
