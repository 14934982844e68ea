import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PLANS, PROVISIONING_STATES, TENANT_STATUSES, type Plan, type ProvisioningStateName, type TenantStatus } from '@dezky/contracts';
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

@Schema({ collection: TENANTS_COLLECTION, timestamps: true, strict: 'throw' })
export class Tenant {
  @Prop({ required: true }) slug!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ type: String, enum: PLANS, required: true }) plan!: Plan;
  /** Absent when the tenant has no domains (see the index below). */
  @Prop({ type: [String], default: undefined }) domains?: string[];
  @Prop({ type: String, enum: TENANT_STATUSES, default: 'active' }) status!: TenantStatus;
  /** Absent when the tenant has no partner: detaching removes the field, never stores null. */
  @Prop({ type: MongooseSchema.Types.ObjectId }) partnerId?: Types.ObjectId;
  @Prop({ type: Map, of: ProvisioningStateEntrySchema, default: {} }) provisioning!: Map<string, ProvisioningStateEntry>;
}

export const TenantSchema = SchemaFactory.createForClass(Tenant);
// Serves every lookup by slug; unique.
TenantSchema.index({ slug: 1 }, { unique: true });
// Serves the partner's customer list and the per-partner aggregation; sparse because most
// tenants come without a partner.
TenantSchema.index({ partnerId: 1 }, { sparse: true });
// A domain belongs to one tenant. Sparse: tenants without domains have no field, so they do
// not collide on an empty array.
TenantSchema.index({ domains: 1 }, { unique: true, sparse: true });
// Serves the operators' list filtered by status and plan.
TenantSchema.index({ status: 1, plan: 1 });
