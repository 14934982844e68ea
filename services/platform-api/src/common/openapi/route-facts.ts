import type { INestApplication, Type } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { OPERATOR_ONLY } from '../../modules/auth/auth.decorators';
import { IS_PUBLIC } from '../http/public.decorator';

/** What the server does on one route, read from the same metadata its guards and pipes read. */
export interface RouteFacts {
  /** `@Public()`: JwtAuthGuard lets anonymous callers through. */
  isPublic: boolean;
  /** `@OperatorOnly()`: OperatorGuard refuses every other caller with 403. */
  operatorOnly: boolean;
  /** The class of a whole-query `@Query()` parameter, which the global ValidationPipe validates. */
  queryDto?: Type;
  /** The handler reads `If-Match` (flag versions). */
  readsIfMatch: boolean;
}

/** The operation ids of the document: `Controller_method`, stated here so the two always agree. */
export const operationIdOf = (controllerKey: string, methodKey: string): string => `${controllerKey}_${methodKey}`;

interface RouteArg {
  index: number;
  data?: unknown;
}

const PLAIN_TYPES: unknown[] = [Object, String, Number, Boolean, Array];

function flag(key: string, handler: object, controller: object): boolean {
  return Reflect.getMetadata(key, handler) === true || Reflect.getMetadata(key, controller) === true;
}

/** Every route handler of the application, by operation id. */
export function collectRouteFacts(app: INestApplication): Map<string, RouteFacts> {
  const facts = new Map<string, RouteFacts>();
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | undefined;
      if (!controller?.prototype) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const method of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[method] as object;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, RouteArg>;
        const paramTypes = (Reflect.getMetadata('design:paramtypes', prototype, method) ?? []) as unknown[];
        let queryDto: Type | undefined;
        let readsIfMatch = false;
        for (const [key, arg] of Object.entries(args)) {
          const kind = Number(key.split(':')[0]);
          if (kind === RouteParamtypes.QUERY && arg.data === undefined) {
            const type = paramTypes[arg.index];
            if (typeof type === 'function' && !PLAIN_TYPES.includes(type)) queryDto = type as Type;
          }
          if (kind === RouteParamtypes.HEADERS && typeof arg.data === 'string' && arg.data.toLowerCase() === 'if-match') readsIfMatch = true;
        }
        facts.set(operationIdOf(controller.name, method), {
          isPublic: flag(IS_PUBLIC, handler, controller),
          operatorOnly: flag(OPERATOR_ONLY, handler, controller),
          queryDto,
          readsIfMatch,
        });
      }
    }
  }
  return facts;
}
