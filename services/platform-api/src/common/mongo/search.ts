/** A case-insensitive "contains" over several fields, with the user's text taken literally. */
export function searchFilter(fields: string[], text: string): { $or: Record<string, RegExp>[] } {
  const re = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  return { $or: fields.map((f) => ({ [f]: re })) };
}
