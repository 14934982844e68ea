// What the app auto-imports from the shared layer (packages/nuxt-shared/shared/utils), installed
// as globals for the unit tests of modules that use it: the same functions, not stand-ins.
import { apiErrorMessage } from '../../../../packages/nuxt-shared/shared/utils/api-error';
import { isEmailAddress } from '../../../../packages/nuxt-shared/shared/utils/person';

Object.assign(globalThis, { apiErrorMessage, isEmailAddress });
