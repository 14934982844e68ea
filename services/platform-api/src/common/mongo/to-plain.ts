import type { Types } from 'mongoose';

/** A lean Mongoose document: what repositories read before they map it to a plain object. */
export type Lean<T> = T & { _id: Types.ObjectId; createdAt?: Date; updatedAt?: Date };

/** The 24-character hex id every resource carries in responses (never a raw `_id`). */
export function idOf(doc: { _id: Types.ObjectId }): string {
  return doc._id.toHexString();
}

/** True when `value` is a 24-character hex string that can be cast to an ObjectId. */
export function isObjectIdHex(value: string): boolean {
  return /^[0-9a-f]{24}$/i.test(value);
}

/** `createdAt` and `updatedAt` as every answer gives them (the epoch for a document stored without). */
export function timestampsOf(doc: { createdAt?: Date; updatedAt?: Date }): { createdAt: string; updatedAt: string } {
  return { createdAt: (doc.createdAt ?? new Date(0)).toISOString(), updatedAt: (doc.updatedAt ?? new Date(0)).toISOString() };
}
