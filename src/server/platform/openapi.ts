import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { NoContentSchema } from './http.js';

type JsonObject = Record<string, unknown>;

/**
 * A route's zod schemas as OpenAPI. A response declared as NoContentSchema is documented without content:
 * zod's OpenAPI 3.0 output for null is a nullable JSON value, which would promise a body a 204 never has.
 * The route's rate-limit group is documented as `x-rate-limit` (platform/rate-limits.ts).
 */
export const transformRouteSchema: SwaggerTransform = (input) => {
  const transformed = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
  const group = input.route.config?.rateLimit;
  if (group) (transformed.schema as JsonObject)['x-rate-limit'] = group;
  const declared = (input.schema.response ?? {}) as JsonObject;
  const documented = transformed.schema.response as JsonObject | undefined;
  for (const [status, schema] of Object.entries(declared)) {
    if (schema === NoContentSchema && documented) documented[status] = { type: 'null', description: 'No content' };
  }
  return transformed;
};

function acceptsNull(media: unknown): boolean {
  const schema = (media as { schema?: { nullable?: unknown } } | undefined)?.schema;
  return schema?.nullable === true;
}

/**
 * The whole document: the shared components (the Problem schema), and a request body whose schema takes
 * null (`.nullish()`: the route runs without one) documented as optional; @fastify/swagger marks every
 * body required.
 */
export const transformDocument: SwaggerTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input) as { paths?: Record<string, Record<string, JsonObject>> };
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      const body = operation.requestBody as { required?: boolean; content?: JsonObject } | undefined;
      if (body?.content && Object.values(body.content).every(acceptsNull)) body.required = false;
    }
  }
  return document as ReturnType<SwaggerTransformObject>;
};
