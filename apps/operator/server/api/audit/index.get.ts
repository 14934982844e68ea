// GET /api/audit → platform API GET /audit (operators only), newest first.
// Query: resourceType, resourceId, actorEmail, action, limit (1-100), offset.
import { AUDIT_RESOURCE_TYPES, type AuditEntry, type Page } from '@dezky/contracts';
import { z } from 'zod';
import { validQuery } from '../tenants/-validate';

const query = z.object({
  resourceType: z.enum(AUDIT_RESOURCE_TYPES).optional(),
  resourceId: z.string().trim().min(1).max(64).optional(),
  actorEmail: z.email('must be an email address').max(254).optional(),
  action: z.string().regex(/^[a-z]+\.[a-z_]+$/, 'must be an action such as tenant.update').optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

export default defineEventHandler((event) => platformApi<Page<AuditEntry>>(event, '/audit', { query: validQuery(event, query) }));
