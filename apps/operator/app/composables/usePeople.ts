import type { PeopleByEmail } from '@dezky/contracts';

/**
 * People named by email only (a flag change's author) as `Person`s, their display names looked
 * up once per set of emails: `person(email)` is shown with `PersonName`, and is the email alone
 * until the names have come.
 */
export function usePeople(emails: MaybeRefOrGetter<string[]>) {
  // Only addresses are looked up: the platform's own changes name "system".
  const query = computed(() => ({ email: [...new Set(toValue(emails).filter(isEmailAddress).map((e) => e.toLowerCase()))].sort() }));
  const { data } = useApi<PeopleByEmail>('/api/people', { query, lazy: true });
  return {
    person: (email: string): Person => ({ email, name: data.value?.[email.toLowerCase()] ?? null }),
  };
}
