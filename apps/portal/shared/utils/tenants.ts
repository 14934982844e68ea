/** What the portal says of a tenant the user may not see; the API answers 404 for it and for a missing one alike. */
export const TENANT_NOT_FOUND_MESSAGE = 'This tenant does not exist or you do not have access';
