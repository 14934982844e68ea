// The operator app is for platform administrators only: anyone else signed in sees /not-admin.
export default defineNuxtRouteMiddleware((to) => {
  const { loggedIn, user } = useUserSession();
  if (to.meta.auth === false || !loggedIn.value) return;
  const admin = user.value?.platformAdmin === true;
  if (!admin && to.path !== '/not-admin') return navigateTo('/not-admin');
  if (admin && to.path === '/not-admin') return navigateTo('/');
});
