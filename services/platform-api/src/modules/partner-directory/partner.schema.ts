import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PARTNER_STATUSES, type PartnerStatus } from '@dezky/contracts';

@Schema({ _id: false })
export class ContactInfo {
  @Prop() name?: string;
  @Prop() email?: string;
  @Prop() phone?: string;
}

@Schema({ _id: false })
export class BillingInfo {
  @Prop() company?: string;
  @Prop() vatId?: string;
  @Prop() address?: string;
  @Prop() email?: string;
}

const ContactInfoSchema = SchemaFactory.createForClass(ContactInfo);
const BillingInfoSchema = SchemaFactory.createForClass(BillingInfo);

@Schema({ collection: 'partners', timestamps: true, strict: 'throw' })
export class Partner {
  @Prop({ required: true }) slug!: string;
  /** The slug's natural sort key (common/mongo/natural-order.ts); absent on partners stored before it, until boot fills it in. */
  @Prop() slugOrder?: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true, lowercase: true }) domain!: string;
  @Prop({ type: String, enum: PARTNER_STATUSES, default: 'active' }) status!: PartnerStatus;
  @Prop({ required: true, min: 0, max: 100 }) marginPct!: number;
  @Prop({ type: ContactInfoSchema, default: {} }) contactInfo!: ContactInfo;
  @Prop({ type: BillingInfoSchema, default: {} }) billingInfo!: BillingInfo;
  @Prop() terminatedAt?: Date;
}

export const PartnerSchema = SchemaFactory.createForClass(Partner);
// Serves every lookup by slug (all partner routes, flag scope validation); unique.
PartnerSchema.index({ slug: 1 }, { unique: true });
// Serve the partner list in natural slug order, all of it and filtered by status.
PartnerSchema.index({ slugOrder: 1, slug: 1 });
PartnerSchema.index({ status: 1, slugOrder: 1, slug: 1 });
