/** A case-insensitive "contains" over several fields, with the user's text taken literally. */
export function searchFilter(fields: string[], text: string): { $or: Record<string, RegExp>[] } {
  // A NUL byte cannot travel in a BSON regular expression: it is sent as the escape \x00.
  const re = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00'), 'i');
  return { $or: fields.map((f) => ({ [f]: re })) };
}
