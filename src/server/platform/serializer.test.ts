import { isResponseSerializationError } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledSerializerCompiler } from './serializer.js';

const Schema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  at: z.iso.datetime(),
  tags: z.array(z.object({ label: z.string() })),
  payload: z.record(z.string(), z.unknown()),
  owner: z.object({ id: z.string() }).nullable(),
  note: z.string().optional(),
});

function compile(checkAgainstZod: boolean) {
  return compiledSerializerCompiler({ checkAgainstZod })({ schema: Schema, method: 'GET', url: '/thing', httpStatus: '200' });
}

const value = {
  id: 'a',
  name: null,
  at: '2026-03-01T09:00:00.000Z',
  tags: [{ label: 'x', secret: 'no' }],
  payload: { text: 'hi "there"', nested: [1, null, { deep: true }] },
  owner: { id: 'o', passwordHash: 'no' },
  passwordHash: 'no',
};

describe('compiled response serializer', () => {
  for (const checkAgainstZod of [false, true]) {
    it(`writes what zod writes and nothing the schema does not declare (zod check ${checkAgainstZod ? 'on' : 'off'})`, () => {
      const output = compile(checkAgainstZod)(value);
      expect(JSON.parse(output)).toEqual(z.encode(Schema, value));
      expect(JSON.parse(compile(checkAgainstZod)({ ...value, owner: null, note: 'n' }))).toEqual(z.encode(Schema, { ...value, owner: null, note: 'n' }));
      expect(output).not.toContain('passwordHash');
      expect(output).not.toContain('secret');
    });
  }

  it('refuses, outside production, a response that breaks its schema', () => {
    expect(() => compile(true)({ ...value, at: 'yesterday' })).toThrow(expect.toSatisfy(isResponseSerializationError));
  });
});
