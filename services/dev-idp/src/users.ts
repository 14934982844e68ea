import { createHash, timingSafeEqual } from 'node:crypto';

import type { DevIdpUser } from './config.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Seeded accounts shared by both applications. */
export class UserStore {
  readonly #bySub = new Map<string, DevIdpUser>();
  readonly #byLogin = new Map<string, DevIdpUser>();

  constructor(users: readonly DevIdpUser[]) {
    for (const user of users) {
      this.#bySub.set(user.sub, user);
      this.#byLogin.set(user.email.toLowerCase(), user);
      if (user.username) this.#byLogin.set(user.username.toLowerCase(), user);
    }
  }

  bySub(sub: string): DevIdpUser | undefined {
    return this.#bySub.get(sub);
  }

  /** The user whose email or username is `login` (case-insensitive) and whose password matches. */
  authenticate(login: string, password: string): DevIdpUser | undefined {
    const user = this.#byLogin.get(login.trim().toLowerCase());
    if (!user) return undefined;
    return timingSafeEqual(digest(user.password), digest(password)) ? user : undefined;
  }

  list(): DevIdpUser[] {
    return [...this.#bySub.values()];
  }
}
