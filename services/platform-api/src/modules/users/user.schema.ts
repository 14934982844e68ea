import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

@Schema({ collection: 'users', timestamps: true, strict: 'throw' })
export class User {
  /** The token issuer (one Authentik application) that vouches for `sub`. */
  @Prop({ required: true })
  iss!: string;

  @Prop({ required: true })
  sub!: string;

  @Prop({ required: true, lowercase: true, trim: true })
  email!: string;

  @Prop({ default: false })
  emailVerified!: boolean;

  @Prop({ default: '' })
  name!: string;

  @Prop({ default: false })
  platformAdmin!: boolean;

  /**
   * Has signed in with an operator-scoped token, so platformAdmin can open operator routes.
   * Users created before this was recorded have no field and count as able (the safe side
   * for the last-administrator rule); a user first seen through the portal gets false.
   */
  @Prop()
  operatorAccess?: boolean;

  @Prop()
  lastSeenAt?: Date;
}

export type UserDocument = HydratedDocument<User>;
export const UserSchema = SchemaFactory.createForClass(User);
// Serves ActorService's lookup of every authenticated request by (iss, sub); unique so a
// first-sight race of two requests creates one user, not two.
UserSchema.index({ iss: 1, sub: 1 }, { unique: true });
// Serves the last-admin check (count of operator-capable platform admins) and the operators' user search.
UserSchema.index({ platformAdmin: 1 });
UserSchema.index({ email: 1 });
