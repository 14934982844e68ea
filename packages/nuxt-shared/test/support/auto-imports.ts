// What Nuxt and Nitro auto-import into the layer's modules, installed as globals for the unit
// tests of those modules (they run without the Nuxt runtime): the same functions, not stand-ins.
import { createError, getQuery, getRequestURL, getRouterParam, readBody } from 'h3';
import { $fetch } from 'ofetch';

Object.assign(globalThis, { $fetch, createError, getQuery, getRequestURL, getRouterParam, readBody });
