import { dezkyApp } from '@dezky/nuxt-shared/dezky-app';

export default defineNuxtConfig(dezkyApp({ key: 'portal', name: 'Dezky Portal', port: 3200 }));
