// Every page needs a session except the public ones (`definePageMeta({ auth: false })`):
// without one the browser goes to /login, which remembers where it came from.
export default defineNuxtRouteMiddleware((to) => {
  const { loggedIn } = useUserSession();
  if (to.meta.auth === false) {
    if (to.path === '/login' && loggedIn.value) {
      return navigateTo(safeReturnPath(to.query.redirect, useRequestURL().origin));
    }
    return;
  }
  if (!loggedIn.value) {
    return navigateTo({ path: '/login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } });
  }
});
