export { default } from '@dezky/nuxt-shared/eslint.config.js';
