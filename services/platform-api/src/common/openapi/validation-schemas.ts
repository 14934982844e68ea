import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, RequestBodyObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage, IS_FQDN, MAX, MIN, ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { RouteFacts } from './route-facts';

type Schema = SchemaObject | ReferenceObject;

/** The keywords a validation rule can state about a value, copied over what @ApiProperty says. */
const RULE_KEYWORDS = [
  'type',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'enum',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;

/**
 * validator's isFQDN as the API calls it (a TLD of letters or `xn--`, labels of 1-63 letters,
 * digits and inner hyphens, no underscores), over ASCII: the internationalised labels it also
 * accepts are the one thing this pattern leaves out.
 */
const FQDN_PATTERN = '^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+(?:[a-zA-Z]{2,63}|xn[a-zA-Z0-9-]{1,60}[a-zA-Z0-9])$';
const isDefaultFqdn = (options: unknown): boolean => {
  const o = (options ?? {}) as { require_tld?: boolean; allow_underscores?: boolean; allow_trailing_dot?: boolean; allow_numeric_tld?: boolean; allow_wildcard?: boolean };
  return o.require_tld !== false && !o.allow_underscores && !o.allow_trailing_dot && !o.allow_numeric_tld && !o.allow_wildcard;
};

/**
 * The request DTOs' rules as JSON schemas, read from the class-validator decorators the global
 * ValidationPipe enforces (class-validator-jsonschema), so the document and the server cannot
 * disagree. Two converters differ from the library's: `Min`/`Max` state only the bound (the
 * library's also say `type: number`, undoing `IsInt`'s integer), `IsFQDN` is its pattern rather
 * than `format: hostname` (which allows a name without a TLD), and a custom rule the library
 * cannot translate states nothing, leaving its @ApiProperty description to speak for it.
 */
function requestRules(): Record<string, SchemaObject> {
  return validationMetadatasToSchemas({
    classValidatorMetadataStorage: getMetadataStorage(),
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: {
      [MIN]: (meta) => ({ minimum: meta.constraints[0] as number }),
      [MAX]: (meta) => ({ maximum: meta.constraints[0] as number }),
      [IS_FQDN]: (meta) => (isDefaultFqdn(meta.constraints?.[0]) ? { type: 'string', pattern: FQDN_PATTERN } : { type: 'string', format: 'hostname' }),
      [ValidationTypes.CUSTOM_VALIDATION]: {},
    },
  }) as Record<string, SchemaObject>;
}

const isReference = (s: Schema): s is ReferenceObject => '$ref' in s;

/** `rule`'s keywords over `documented` (an array's item rules over its items); references and nested DTOs are left alone. */
function mergeRule(documented: Schema | undefined, rule: SchemaObject | undefined): void {
  if (!documented || !rule || isReference(documented) || documented.allOf) return;
  for (const keyword of RULE_KEYWORDS) {
    if (rule[keyword] !== undefined && !(keyword === 'type' && rule.type === 'object')) {
      (documented as Record<string, unknown>)[keyword] = rule[keyword];
    }
  }
  if (rule.items && !isReference(rule.items)) mergeRule(documented.items, rule.items);
}

/** A validated DTO's schema: its properties' rules, its required properties, and no others (forbidNonWhitelisted). */
function mergeObjectRules(documented: SchemaObject, rules: SchemaObject): void {
  documented.additionalProperties = false;
  if (rules.required?.length) documented.required = rules.required;
  else delete documented.required;
  for (const keyword of ['minProperties', 'maxProperties'] as const) {
    if (rules[keyword] !== undefined) documented[keyword] = rules[keyword];
  }
  for (const [name, rule] of Object.entries(rules.properties ?? {})) {
    if (!isReference(rule)) mergeRule(documented.properties?.[name], rule);
  }
}

function operations(document: OpenAPIObject): OperationObject[] {
  return Object.values(document.paths).flatMap((item) =>
    Object.values(item).filter((o): o is OperationObject => typeof o === 'object' && o !== null && 'responses' in o),
  );
}

function resolve(document: OpenAPIObject, schema: Schema | undefined): SchemaObject | undefined {
  if (!schema) return undefined;
  if (!isReference(schema)) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = document.components?.schemas?.[name];
  return found && !isReference(found) ? found : undefined;
}

/**
 * States in the document what the server enforces on requests:
 * - each request DTO's rules (types, integers, lengths, patterns, formats, enums, sizes), its
 *   required properties and `additionalProperties: false`, from its class-validator decorators;
 * - the same rules on the query parameters of a validated `@Query()` DTO;
 * - a request body is required only when an empty one would be refused: the JSON parser takes a
 *   missing body as `{}`, which a body without required properties accepts.
 */
export function documentValidation(document: OpenAPIObject, facts: ReadonlyMap<string, RouteFacts>): void {
  const rules = requestRules();
  const schemas = document.components?.schemas ?? {};
  for (const [name, rule] of Object.entries(rules)) {
    const documented = schemas[name];
    if (documented && !isReference(documented)) mergeObjectRules(documented, rule);
  }
  for (const operation of operations(document)) {
    const query = operation.operationId ? facts.get(operation.operationId)?.queryDto : undefined;
    const queryRules = query ? rules[query.name] : undefined;
    if (queryRules) {
      for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
        if (parameter.in !== 'query') continue;
        const rule = queryRules.properties?.[parameter.name];
        if (rule && !isReference(rule)) mergeRule(parameter.schema, rule);
        parameter.required = queryRules.required?.includes(parameter.name) ?? false;
      }
    }
    const body = operation.requestBody as RequestBodyObject | undefined;
    const json = body?.content['application/json'];
    if (body && json) {
      const schema = resolve(document, json.schema);
      body.required = (schema?.required?.length ?? 0) > 0 || (schema?.minProperties ?? 0) > 0;
    }
  }
}
