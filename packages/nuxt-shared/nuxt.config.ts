// Base Nuxt config shared by the Dezky apps (`extends: ['@dezky/nuxt-shared']`).
// Everything here must build and run with no network except the npm registry at install time:
// no web fonts, no Iconify API, no telemetry.
import { fileURLToPath } from 'node:url';

export default defineNuxtConfig({
  modules: ['@nuxt/ui'],

  compatibilityDate: '2026-11-01',
  telemetry: false,
  devtools: { enabled: false },

  // Path is absolute so it resolves the same whichever app extends this layer.
  css: [fileURLToPath(new URL('./app/assets/css/main.css', import.meta.url))],

  ui: {
    // Nuxt UI would otherwise install @nuxt/fonts, which downloads fonts from Google/Bunny at build time.
    fonts: false,
  },

  icon: {
    // Icons come from the locally installed @iconify-json/* packages, never from api.iconify.design.
    serverBundle: { collections: ['lucide'] },
    clientBundle: {
      // Bundle the icons found in source, plus the ones Nuxt UI components use internally.
      scan: true,
      icons: [
        'lucide:sun',
        'lucide:moon',
        'lucide:menu',
        'lucide:x',
        'lucide:check',
        'lucide:chevron-down',
        'lucide:chevron-right',
        'lucide:chevron-left',
        'lucide:loader-circle',
        'lucide:info',
        'lucide:circle-alert',
        'lucide:circle-check',
        'lucide:triangle-alert',
        'lucide:arrow-right',
        'lucide:external-link',
      ],
      sizeLimitKb: 256,
    },
    fallbackToApi: false,
  },

  runtimeConfig: {
    // Server-only. Overridden at run time by NUXT_PLATFORM_API_URL.
    platformApiUrl: 'http://127.0.0.1:3001',
    public: {
      // Overridden per app (and at run time by NUXT_PUBLIC_APP_NAME).
      appName: 'Dezky',
    },
  },

  app: {
    head: {
      htmlAttrs: { lang: 'en' },
      link: [{ rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }],
    },
  },
});
