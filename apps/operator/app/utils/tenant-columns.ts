import { h } from 'vue';
import type { TableColumn } from '@nuxt/ui';
import type { Tenant } from '@dezky/contracts';
import TenantsPlanBadge from '~/components/tenants/PlanBadge.vue';
import TenantsStatusBadge from '~/components/tenants/StatusBadge.vue';

/** A table of tenants' Plan and Status columns, each cell a badge in its color. */
export const TENANT_BADGE_COLUMNS: TableColumn<Tenant>[] = [
  { accessorKey: 'plan', header: 'Plan', cell: ({ row }) => h(TenantsPlanBadge, { plan: row.original.plan }) },
  { accessorKey: 'status', header: 'Status', cell: ({ row }) => h(TenantsStatusBadge, { status: row.original.status }) },
];
