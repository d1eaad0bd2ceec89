import { isDeepStrictEqual } from 'node:util';
import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';

type Serialize = (data: unknown) => string;
type JsonSchema = { [key: string]: unknown };

/**
 * Adapts zod's JSON Schema to how fast-json-stringify reads it. fast-json-stringify picks an `anyOf` branch
 * by validating the value, so a nullable object with one undeclared property (which zod would just drop)
 * matched no branch and threw: `X | null` becomes `X` with `nullable`, and `additionalProperties: false` is
 * dropped, since undeclared properties are never written anyway.
 */
function lenient(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lenient);
  if (typeof schema !== 'object' || schema === null) return schema;
  const { additionalProperties, anyOf, ...rest } = schema as JsonSchema;
  const out: JsonSchema = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, lenient(value)]));
  if (additionalProperties !== undefined && additionalProperties !== false) out.additionalProperties = lenient(additionalProperties);
  if (Array.isArray(anyOf)) {
    const branches = anyOf as JsonSchema[];
    const other = branches.filter((branch) => branch.type !== 'null');
    if (other.length === 1 && branches.length === 2) return { ...out, ...(lenient(other[0]) as JsonSchema), nullable: true };
    out.anyOf = lenient(anyOf);
  }
  return out;
}

/**
 * Compiles each route's zod response schema once into a fast-json-stringify function. The zod serializer
 * of fastify-type-provider-zod walks the schema on every response and then calls JSON.stringify; the
 * compiled function writes the declared properties directly. Like zod, it leaves out every property the
 * schema does not declare, so nothing unlisted (a hash, an email) can leak through a response.
 *
 * fast-json-stringify trusts its input's types, so with `checkAgainstZod` (everywhere but production) each
 * response is also encoded with zod first: a response that breaks its schema is a 500 as before, and an
 * output that differs from zod's in any value throws (key order aside), so the test suite proves the two agree on every route.
 */
export function compiledSerializerCompiler(options: { checkAgainstZod: boolean }): FastifySerializerCompiler<unknown> {
  return ({ schema, method, url }) => {
    if (!(schema instanceof z.ZodType)) throw new Error(`${method} ${url}: response schemas must be zod schemas`);
    const compiled = fastJson(lenient(z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'any' })) as object) as Serialize;
    if (!options.checkAgainstZod) return compiled;
    return (data: unknown) => {
      const encoded = z.safeEncode(schema, data);
      if (!encoded.success) throw new ResponseSerializationError(method, url, { cause: encoded.error });
      const expected = JSON.stringify(encoded.data);
      const output = compiled(data);
      if (!isDeepStrictEqual(JSON.parse(output), JSON.parse(expected))) {
        throw new Error(`${method} ${url}: the compiled serializer wrote ${output}, zod ${expected}`);
      }
      return output;
    };
  };
}
