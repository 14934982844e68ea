export default defineNuxtConfig({
  extends: ['@dezky/nuxt-shared'],

  runtimeConfig: {
    public: {
      appName: 'Dezky Portal',
    },
  },

  devServer: {
    host: '127.0.0.1',
    port: 3200,
  },
});
