import { applyDecorators } from '@nestjs/common';
import { MAX_TENANT_DOMAINS } from '@dezky/contracts';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, registerDecorator, type ValidationArguments } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { describeDomainProblem, normalizeDomainName } from './domain-name';

/**
 * The shape of a domain name as the OpenAPI document states it: two or more labels of letters
 * (any script), digits and inner hyphens, the last one a name (or a punycode `xn--` label), and
 * one optional trailing dot. The server's rule (UTS-46 normalisation) is stricter in details
 * a pattern cannot say; this one refuses what it plainly refuses: one label, `_`, spaces, IPs.
 */
const LABEL = '[a-zA-Z0-9\\u0080-\\uFFFF](?:[a-zA-Z0-9\\u0080-\\uFFFF-]{0,61}[a-zA-Z0-9\\u0080-\\uFFFF])?';
export const DOMAIN_NAME_SCHEMA = { type: 'string', maxLength: 253, pattern: `^(?:${LABEL}\\.)+(?:[a-zA-Z\\u0080-\\uFFFF]{2,63}|xn--[a-zA-Z0-9-]{0,58}[a-zA-Z0-9])\\.?$` } as const;

/** The ASCII form of a string that has one; anything else is left as sent, for the validator to name. */
function normalized(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const result = normalizeDomainName(value);
  return result.ok ? result.name : value;
}

/** Why `value` is not a domain name, or undefined when it is one. */
function problemOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a domain name (a string such as example.com)';
  const result = normalizeDomainName(value);
  return result.ok ? undefined : result.reason;
}

/**
 * One domain name: normalised to its ASCII (punycode) form before validation, so everything
 * after the DTO sees the stored form; a value that does not normalise is a 400 naming it.
 */
export const DomainName = (): PropertyDecorator =>
  applyDecorators(JSONSchema(DOMAIN_NAME_SCHEMA), Transform(({ value }) => normalized(value)), (target: object, property: string | symbol) =>
    registerDecorator({
      name: 'isDomainName',
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => problemOf(value) === undefined,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${describeDomainProblem(args.value, problemOf(args.value) ?? '')}`,
      },
    }),
  );

/** Domain names the list holds more than once, once each. */
function repeated(list: unknown[]): unknown[] {
  return [...new Set(list.filter((d, i) => list.indexOf(d) !== i))];
}

/**
 * A list of up to MAX_TENANT_DOMAINS domain names, each normalised like DomainName; two spellings
 * of one name (`Bücher.de`, `xn--bcher-kva.de`) are the same name, listed twice.
 */
export const DomainNames = (): PropertyDecorator =>
  applyDecorators(
    JSONSchema({ type: 'array', items: DOMAIN_NAME_SCHEMA }),
    IsArray(),
    ArrayMaxSize(MAX_TENANT_DOMAINS, { message: `domains must hold at most ${MAX_TENANT_DOMAINS} domains` }),
    Transform(({ value }) => (Array.isArray(value) ? value.map(normalized) : value)),
    (target: object, property: string | symbol) =>
      registerDecorator({
        name: 'isDomainNameList',
        target: target.constructor,
        propertyName: String(property),
        validator: {
          validate: (value: unknown) => !Array.isArray(value) || (value.every((d) => problemOf(d) === undefined) && repeated(value).length === 0),
          defaultMessage: (args: ValidationArguments) => {
            const list = args.value as unknown[];
            const bad = list.find((d) => problemOf(d) !== undefined);
            if (bad !== undefined) return `${args.property}: ${describeDomainProblem(bad, problemOf(bad)!)}`;
            return `${args.property} must not repeat a domain: ${repeated(list).join(', ')} (after normalisation to ASCII)`;
          },
        },
      }),
  );
