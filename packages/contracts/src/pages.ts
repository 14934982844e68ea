/**
 * Paged lists (`{ items, total, limit, offset }`): at most PAGE_LIMIT_MAX items per page, and
 * an offset of at most PAGE_OFFSET_MAX, since skipping costs the database time in proportion to
 * the offset. Deeper than that, narrow the list with its filters instead.
 */
export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_OFFSET_MAX = 100_000;
