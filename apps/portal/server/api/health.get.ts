export default defineEventHandler(() => ({ status: 'ok', app: 'portal' }) as const);
