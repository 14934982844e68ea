// GET /api/people?email=a@x&email=b@y → each person's display name by email (null when the
// platform knows no such user or no name), for lists that name people by email only (flag
// changes). Platform API: GET /users?search=<email>, the exact address picked from the answer.
import { EMAIL_MAX, EMAIL_MESSAGE, type PeopleByEmail } from '@dezky/contracts';
import { z } from 'zod';

/** How many people one request may name. */
const PEOPLE_MAX = 50;

const query = z.object({
  email: z
    .union([z.email(EMAIL_MESSAGE).max(EMAIL_MAX), z.array(z.email(EMAIL_MESSAGE).max(EMAIL_MAX)).max(PEOPLE_MAX, `must name at most ${PEOPLE_MAX} people`)])
    .optional()
    .transform((value) => [...new Set((value === undefined ? [] : Array.isArray(value) ? value : [value]).map((email) => email.toLowerCase()))]),
});

interface UserSummary {
  email: string;
  name: string;
}

export default defineEventHandler(async (event): Promise<PeopleByEmail> => {
  await requirePlatformAdmin(event);
  const { email: emails } = validQuery(event, query);
  const found = await Promise.all(
    emails.map(async (email) => {
      const users = await platformApi<{ items: UserSummary[] }>(event, '/users', { query: { search: email, limit: 10 } });
      const user = users.items.find((u) => u.email.toLowerCase() === email);
      return [email, user?.name || null] as const;
    }),
  );
  setResponseHeader(event, 'cache-control', 'private, no-store');
  return Object.fromEntries(found);
});
