export default defineEventHandler(() => ({ status: 'ok', app: 'operator' }) as const);
