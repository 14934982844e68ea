// ESLint flat config for the Nuxt apps and this layer: the workspace root config plus Vue support.
// Apps re-export it from their own eslint.config.js (`export { default } from '@dezky/nuxt-shared/eslint.config.js'`).
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import rootConfig from '../../eslint.config.js';

export default tseslint.config(
  ...rootConfig,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        sourceType: 'module',
      },
    },
  },
  {
    files: ['**/*.vue', 'app/**/*.ts'],
    languageOptions: {
      globals: { ...globals.browser },
    },
  },
  {
    files: ['**/*.vue'],
    rules: {
      // Nuxt auto-imports (ref, useHead, useRuntimeConfig...) are checked by vue-tsc, not by ESLint.
      'no-undef': 'off',
      // Pages and layouts are named by their file path (index.vue, default.vue).
      'vue/multi-word-component-names': 'off',
      // Formatting is not linted (no formatter is enforced in this workspace).
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
    },
  },
);
