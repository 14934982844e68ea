// GET /auth/oidc: starts the sign-in at the identity provider (optional ?redirect=/path).
export default defineEventHandler((event) => handleOidcSignIn(event));
