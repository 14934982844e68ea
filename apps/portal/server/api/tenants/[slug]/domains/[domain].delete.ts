// DELETE /api/tenants/:slug/domains/:domain → platform API DELETE /tenants/:slug/domains/:domain:
// removes the domain, pending or verified (204). 404 when the tenant has no such domain, and for
// non-members.
export default defineEventHandler(async (event) => {
  await requireUserSession(event);
  const slug = tenantSlugPathSegment(event);
  const domain = domainPathSegment(event);
  await platformApi<void>(event, `/tenants/${slug}/domains/${domain}`, { method: 'DELETE' });
  setResponseStatus(event, 204);
  return null;
});
