import type { OpenAPIObject } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** Matches `null` and nothing else, in OpenAPI 3.0's terms. */
const NULL_ONLY: SchemaObject = { type: 'object', nullable: true, enum: [null] };

/**
 * OpenAPI 3.0.3 lets `nullable` add null to the schema's own `type` only: a nullable reference
 * (`@ApiProperty({ type: Dto, nullable: true })`, which Swagger writes as `allOf: [$ref]`) still
 * refuses null through its `allOf`, and a nullable `enum` refuses it unless null is listed. Both
 * are rewritten so that null is documented where the API sends it.
 */
function allowNull(schema: SchemaObject): void {
  if (schema.nullable && schema.allOf?.length === 1) {
    const [target] = schema.allOf as (SchemaObject | ReferenceObject)[];
    delete schema.allOf;
    delete schema.type;
    delete schema.nullable;
    schema.anyOf = [target!, NULL_ONLY];
  } else if (schema.nullable && schema.enum && !schema.enum.includes(null)) {
    schema.enum = [...schema.enum, null];
  }
}

/** Every property of the document's component schemas, nullable as the API answers. */
export function documentNullables(document: OpenAPIObject): void {
  for (const schema of Object.values(document.components?.schemas ?? {})) {
    if ('$ref' in schema) continue;
    for (const property of Object.values(schema.properties ?? {})) {
      if (!('$ref' in property)) allowNull(property);
    }
  }
}
