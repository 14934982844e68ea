// One flat config for the whole workspace; each package runs `eslint <its dirs>` from its own folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/.output/**', '**/.nuxt/**', '**/node_modules/**', '**/.toolchain/**', '**/coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'off',
    },
  },
  {
    // Nest modules and providers form a graph without cycles (checked by depcruise): nothing to defer.
    files: ['services/platform-api/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@nestjs/common', importNames: ['forwardRef'], message: 'Break the cycle instead: see ARCHITECTURE.md.' }] }],
    },
  },
  {
    // A write records its change and its audit entry in one step, WriteRecorder, so none can move
    // what evaluation serves without the change log and the audit log following.
    files: ['services/platform-api/src/**/*.ts'],
    ignores: ['services/platform-api/src/modules/writes/write-recorder.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='record']",
          message: 'Record a write through WriteRecorder (recordWrite, or recordChanges for a change no audit entry of its own stands for): see ARCHITECTURE.md.',
        },
      ],
    },
  },
);
