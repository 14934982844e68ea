// Shape of the nuxt-auth-utils session of both apps. `user` and `loggedInAt` reach the browser
// (GET /api/_auth/session); `secure` never leaves the server.
declare module '#auth-utils' {
  interface User {
    /** The platform's user id (from GET /me). */
    id: string;
    email: string;
    name: string;
    platformAdmin: boolean;
  }

  interface UserSession {
    /** Epoch milliseconds of the sign-in. */
    loggedInAt?: number;
  }

  interface SecureSessionData {
    /** The IdP's access token (a JWT), sent to the platform API as a bearer token. */
    accessToken: string;
    /** The IdP's refresh token, used by the platform API client before the access token expires. */
    refreshToken?: string;
    /** Epoch milliseconds at which the access token expires. */
    expiresAt: number;
    /** The IdP's ID token of the sign-in, sent back as id_token_hint when signing out. */
    idToken?: string;
  }
}

export {};
