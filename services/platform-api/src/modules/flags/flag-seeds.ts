import type { FlagSeed } from './flags.repository';

/**
 * The flags every installation starts with: the risky changes Dezky is rolling out. Created off;
 * operators turn them on. Seeding never changes a flag that exists.
 */
export const FLAG_SEEDS: FlagSeed[] = [
  { key: 'jmap_native_v2', description: 'Native JMAP mail client (Stalwart) replacing the IMAP bridge in webmail' },
  { key: 'gdpr_export_v2', description: 'Self-service GDPR data export of a whole tenant from the portal' },
  { key: 'new_billing_engine', description: 'Stripe-based billing engine for invoices and seat changes' },
  { key: 'calendar_sharing_v2', description: 'Calendar sharing across tenants with free/busy federation' },
  { key: 'shared_mailboxes', description: 'Shared mailboxes with per-member permissions' },
  { key: 'mail_retention_policies', description: 'Tenant-wide retention policies for mail and calendars' },
  { key: 'sso_enforcement', description: 'Enforce single sign-on for every user of a tenant' },
  { key: 'partner_billing_statements', description: 'Monthly billing statements for partners in the portal' },
  { key: 'audit_log_export', description: "Export of a tenant's audit log to CSV and JSON" },
  { key: 'webmail_dark_mode', description: 'Dark mode in webmail' },
];
