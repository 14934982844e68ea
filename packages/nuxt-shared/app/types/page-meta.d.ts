declare module '#app' {
  interface PageMeta {
    /** `false` makes the page public (no session required), e.g. /login. */
    auth?: boolean;
  }
}

export {};
