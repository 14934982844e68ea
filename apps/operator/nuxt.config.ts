import { dezkyApp } from '@dezky/nuxt-shared/dezky-app';

export default defineNuxtConfig(dezkyApp({ key: 'operator', name: 'Dezky Operator', port: 3100 }));
