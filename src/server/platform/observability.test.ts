import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { serializeError } from './observability.js';

/** Shaped like pg's DatabaseError for a unique violation on an email. */
function uniqueViolation(): Error {
  return Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
    severity: 'ERROR',
    code: '23505',
    detail: 'Key (email)=(someone@example.test) already exists.',
    schema: 'public',
    table: 'users',
    constraint: 'users_email_key',
    where: 'SQL statement "insert into users values (\'someone@example.test\')"',
  });
}

describe('serializeError', () => {
  it('logs a failed query by its SQLSTATE and schema names, without statement, parameters, detail or quoted values', () => {
    const wrapped = new DrizzleQueryError('insert into users (email, password_hash) values ($1, $2)', ['someone@example.test', '$argon2id$v=19$secret'], uniqueViolation());
    const logged = serializeError(wrapped) as Record<string, unknown>;
    expect(logged).toMatchObject({
      type: 'DatabaseError',
      code: '23505',
      table: 'users',
      constraint: 'users_email_key',
      message: 'duplicate key value violates unique constraint "?"',
      wrappedBy: ['DrizzleQueryError'],
    });
    expect(logged.stack).toMatch(/^\s+at /);
    expect(JSON.stringify(logged)).not.toMatch(/someone@example\.test|argon2|insert into/);
  });

  it('strips the values PostgreSQL quotes in a message', () => {
    const error = Object.assign(new Error('invalid input syntax for type uuid: "a-token-by-mistake"'), { severity: 'ERROR', code: '22P02' });
    expect(serializeError(error)).toMatchObject({ message: 'invalid input syntax for type uuid: "?"', code: '22P02' });
  });

  it('keeps other errors in the standard form', () => {
    const logged = serializeError(Object.assign(new Error('boom'), { statusCode: 418 })) as Record<string, unknown>;
    expect(logged).toMatchObject({ type: 'Error', message: 'boom', statusCode: 418 });
    expect(logged.stack).toMatch(/^Error: boom/);
  });
});
