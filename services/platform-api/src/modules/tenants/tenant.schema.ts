import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  DOMAIN_STATUSES,
  DOMAIN_VERIFICATION_METHODS,
  PLANS,
  PROVISIONING_STATES,
  TENANT_STATUSES,
  type DomainStatus,
  type DomainVerificationMethod,
  type Plan,
  type ProvisioningStateName,
  type TenantStatus,
} from '@dezky/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

export const TENANTS_COLLECTION = 'tenants';

@Schema({ _id: false })
export class ProvisioningStateEntry {
  @Prop({ type: String, enum: PROVISIONING_STATES, required: true }) state!: ProvisioningStateName;
  @Prop({ required: true }) at!: Date;
  @Prop() error?: string;
  @Prop() detail?: string;
}

export const ProvisioningStateEntrySchema = SchemaFactory.createForClass(ProvisioningStateEntry);

/** One domain the tenant claims, pending until verified. */
@Schema({ _id: false })
export class TenantDomainEntry {
  /** Lower-case ASCII (punycode). */
  @Prop({ required: true }) name!: string;
  @Prop({ type: String, enum: DOMAIN_STATUSES, required: true }) status!: DomainStatus;
  /** This claim's secret: the TXT record `dezky-verification=<token>` proves control of the domain. */
  @Prop({ required: true }) token!: string;
  @Prop({ required: true }) addedAt!: Date;
  @Prop() verifiedAt?: Date;
  @Prop({ type: String, enum: DOMAIN_VERIFICATION_METHODS }) verifiedBy?: DomainVerificationMethod;
}

export const TenantDomainEntrySchema = SchemaFactory.createForClass(TenantDomainEntry);

@Schema({ collection: TENANTS_COLLECTION, timestamps: true, strict: 'throw' })
export class Tenant {
  @Prop({ required: true }) slug!: string;
  /** The slug's natural sort key (common/mongo/natural-order.ts); absent on tenants stored before it, until boot fills it in. */
  @Prop() slugOrder?: string;
  @Prop({ required: true }) name!: string;
  @Prop({ type: String, enum: PLANS, required: true }) plan!: Plan;
  /** Absent when the tenant has no domains. */
  @Prop({ type: [TenantDomainEntrySchema], default: undefined }) domains?: TenantDomainEntry[];
  /**
   * The names of the verified entries of `domains`, for the unique index below: a partial index
   * cannot pick array elements by their status. Always written in the same update as `domains`,
   * so the two never disagree; absent when none is verified.
   */
  @Prop({ type: [String], default: undefined }) verifiedDomains?: string[];
  /** Counts the writes of `domains`: every write is conditioned on the count it read. */
  @Prop() domainsRev?: number;
  @Prop({ type: String, enum: TENANT_STATUSES, default: 'active' }) status!: TenantStatus;
  /** Absent when the tenant has no partner: detaching removes the field, never stores null. */
  @Prop({ type: MongooseSchema.Types.ObjectId }) partnerId?: Types.ObjectId;
  @Prop({ type: Map, of: ProvisioningStateEntrySchema, default: {} }) provisioning!: Map<string, ProvisioningStateEntry>;
}

export const TenantSchema = SchemaFactory.createForClass(Tenant);
// Serves every lookup by slug; unique.
TenantSchema.index({ slug: 1 }, { unique: true });
// Serves the lists in natural slug order.
TenantSchema.index({ slugOrder: 1, slug: 1 });
// Serves the partner's customer list and the per-partner aggregation; sparse because most
// tenants come without a partner.
TenantSchema.index({ partnerId: 1 }, { sparse: true });
// A verified domain belongs to one tenant; pending claims are not indexed, so they block nobody.
// Sparse: tenants without verified domains have no field, so they do not collide on an empty
// array. Also serves the lookup of a verified domain's tenant.
TenantSchema.index({ verifiedDomains: 1 }, { unique: true, sparse: true });
// Serves the operators' list filtered by status and plan.
TenantSchema.index({ status: 1, plan: 1 });
