export default defineNuxtConfig({
  extends: ['@dezky/nuxt-shared'],

  runtimeConfig: {
    public: {
      appName: 'Dezky Operator',
    },
  },

  devServer: {
    host: '127.0.0.1',
    port: 3100,
  },
});
