import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIV3 } from 'openapi-types';
import type { Response } from 'supertest';

export type Document = OpenAPIV3.Document;
export type Operation = OpenAPIV3.OperationObject;
export type Schema = OpenAPIV3.SchemaObject;

/** The served document with every `$ref` replaced by what it names, so schemas compile alone. */
export async function dereferenced(served: unknown): Promise<Document> {
  return (await SwaggerParser.dereference(structuredClone(served) as OpenAPIV3.Document)) as Document;
}

export interface OperationRef {
  method: string;
  path: string;
  operation: Operation;
}

export function operationsOf(doc: Document): OperationRef[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    (['get', 'put', 'post', 'patch', 'delete'] as const).filter((m) => item?.[m]).map((method) => ({ method, path, operation: item![method]! })),
  );
}

export function operationOf(doc: Document, method: string, path: string): Operation {
  const operation = doc.paths[path]?.[method.toLowerCase() as OpenAPIV3.HttpMethods];
  if (!operation) throw new Error(`the document has no ${method} ${path}`);
  return operation;
}

// OpenAPI 3.0 schemas are JSON Schema with `nullable` (which Ajv knows) and a few annotations.
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
/** For query parameters, which arrive as text: Ajv coerces them to the schema's types first. */
const coercing = addFormats(new Ajv({ strict: false, allErrors: true, coerceTypes: true }));
const compiled = new WeakMap<object, ValidateFunction>();
const compiledCoercing = new WeakMap<object, ValidateFunction>();

/** The Ajv errors of `value` against `schema`, as text; empty when it conforms. */
export function violations(schema: Schema, value: unknown, options: { coerce?: boolean } = {}): string {
  const [engine, cache] = options.coerce ? [coercing, compiledCoercing] : [ajv, compiled];
  let validate = cache.get(schema);
  if (!validate) cache.set(schema, (validate = engine.compile(schema)));
  return validate(structuredClone(value)) ? '' : engine.errorsText(validate.errors);
}

export function requestSchema(operation: Operation): Schema | undefined {
  return (operation.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content['application/json']?.schema as Schema | undefined;
}

export function parameterSchema(operation: Operation, where: 'query' | 'header' | 'path', name: string): Schema {
  const parameter = (operation.parameters as OpenAPIV3.ParameterObject[] | undefined)?.find((p) => p.in === where && p.name.toLowerCase() === name.toLowerCase());
  if (!parameter?.schema) throw new Error(`no ${where} parameter ${name}`);
  return parameter.schema as Schema;
}

/**
 * What is wrong with `res` as an answer of `operation` by the document: an undocumented status,
 * a Content-Type the status does not declare, a body its schema refuses, a required header
 * missing. Empty when the answer is documented.
 */
export function undocumented(operation: Operation, res: Response): string {
  const declared = operation.responses[String(res.status)] as OpenAPIV3.ResponseObject | undefined;
  if (!declared) return `status ${res.status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`;
  const problems: string[] = [];
  for (const [name, header] of Object.entries(declared.headers ?? {}) as [string, OpenAPIV3.HeaderObject][]) {
    if (header.required && res.headers[name.toLowerCase()] === undefined) problems.push(`header ${name} is missing`);
  }
  if (declared.content) {
    const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
    const media = declared.content[type];
    if (!media) problems.push(`Content-Type ${type || '(none)'} is not documented for ${res.status}`);
    else if (media.schema) {
      const wrong = violations(media.schema as Schema, res.body);
      if (wrong) problems.push(`the body does not match the ${res.status} schema: ${wrong}`);
    }
  }
  return problems.join('; ');
}
