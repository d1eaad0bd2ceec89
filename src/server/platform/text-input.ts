import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, MAX_FIELD_ERRORS, ValidationError, type FieldError } from './errors.js';

// PostgreSQL stores neither NUL (text and jsonb refuse it) nor an unpaired UTF-16 surrogate (jsonb refuses
// it, and UTF-8 encoding silently turns it into U+FFFD in text). With the `u` flag a well-formed pair is one
// code point, so \p{Cs} matches only the unpaired halves.
const NOT_STORABLE = /[\0\p{Cs}]/u;

function problemOf(text: string): string | null {
  const found = NOT_STORABLE.exec(text)?.[0];
  if (found === undefined) return null;
  return found === '\0' ? 'Text cannot contain NUL characters.' : 'Text must be valid Unicode (no unpaired surrogates).';
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/**
 * Null when a JSON body's declared charset is UTF-8 (or none is declared, as RFC 8259 wants); else the 415
 * to answer, since the body would otherwise be read as UTF-8 whatever the client meant.
 */
export function unsupportedCharset(contentType: string | undefined): AppError | null {
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return null;
  return new AppError(415, 'unsupported_media_type', 'Send the body as application/json in UTF-8.');
}

/** A compressed body would reach the JSON parser as compressed bytes: only identity is accepted. */
export function unsupportedEncoding(contentEncoding: string | undefined): AppError | null {
  if (contentEncoding === undefined || contentEncoding.trim().toLowerCase() === 'identity') return null;
  return new AppError(415, 'unsupported_media_type', 'Send the body uncompressed (no Content-Encoding).');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a UTF-8 body, or null when it holds a byte sequence that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Every string and object key in a parsed input that cannot be stored as text, with its path
 * (`body.device.name`). Walks iteratively so a deeply nested body cannot overflow the stack.
 */
export function unstorableText(input: unknown, root: string): FieldError[] {
  const errors: FieldError[] = [];
  const pending: Array<[unknown, string]> = [[input, root]];
  for (let next = pending.pop(); next !== undefined && errors.length < MAX_FIELD_ERRORS; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      const message = problemOf(value);
      if (message) errors.push({ path, message });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const keyProblem = problemOf(key);
        if (keyProblem) errors.push({ path, message: `A field name is not storable. ${keyProblem}` });
        else pending.push([item, `${path}.${key}`]);
      }
    }
  }
  return errors;
}

/**
 * Refuses NUL and unpaired surrogates anywhere in the params, query or body of every route, before the
 * route's own validation: 400 `validation_failed` naming each field, so no handler ever sees such text.
 */
export const textInputPlugin = fp(
  async function textInput(app: FastifyInstance) {
    app.addHook('preValidation', (request, _reply, done) => {
      const errors = [
        ...unstorableText(request.params, 'params'),
        ...unstorableText(request.query, 'querystring'),
        ...unstorableText(request.body, 'body'),
      ];
      done(errors.length > 0 ? new ValidationError(errors) : undefined);
    });
  },
  { name: 'text-input' },
);
