// `$api`: the $fetch the pages use for the app's own server routes (/api/**). During server
// rendering it forwards the browser's cookies, keeps the session cookies those routes renew
// (access token refreshed) and passes them on to the browser. A 401 means the session ended:
// the browser goes to /login.
import { appendResponseHeader } from 'h3';

export default defineNuxtPlugin((nuxtApp) => {
  const event = import.meta.server ? useRequestEvent() : undefined;
  // Cookies sent with server-side calls, updated by the Set-Cookie headers of their responses.
  const jar = new Map<string, string>();
  if (import.meta.server) {
    for (const part of (useRequestHeaders(['cookie']).cookie ?? '').split(';')) {
      const index = part.indexOf('=');
      if (index > 0) jar.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
    }
  }

  const api = $fetch.create({
    onRequest({ options }) {
      if (import.meta.server && jar.size) {
        options.headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
      }
    },
    onResponse({ response }) {
      if (!import.meta.server || !event) return;
      for (const cookie of response.headers.getSetCookie()) {
        appendResponseHeader(event, 'set-cookie', cookie);
        const [pair = '', ...attributes] = cookie.split(';');
        const index = pair.indexOf('=');
        if (index <= 0) continue;
        const name = pair.slice(0, index).trim();
        const value = pair.slice(index + 1).trim();
        const expired = !value || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
        if (expired) jar.delete(name);
        else jar.set(name, value);
      }
    },
    async onResponseError({ response }) {
      if (response.status !== 401) return;
      await nuxtApp.runWithContext(async () => {
        useUserSession().session.value = null;
        const route = useRoute();
        await navigateTo({ path: '/login', query: route.fullPath === '/' ? {} : { redirect: route.fullPath } });
      });
    },
  });

  return { provide: { api } };
});
