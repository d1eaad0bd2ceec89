import formats from 'ajv-formats';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { OpenAPIBackend, ValidationContext, type Operation } from 'openapi-backend';
import type { OpenAPIV3 } from 'openapi-types';

/** Raised by a checked `inject` when the request or the response differs from `/openapi.json`. */
export class OpenApiDriftError extends Error {
  override name = 'OpenApiDriftError';
}

/** What one injected request sent, as far as the document can judge it. */
export type SentRequest = {
  method: string;
  url: string;
  headers: Record<string, unknown>;
  /** The body as given to inject: an object (sent as JSON), a string, a Buffer, or nothing. */
  payload: unknown;
};

type Document = OpenAPIV3.Document;
type ResponseObject = OpenAPIV3.ResponseObject;

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/;

function mediaTypeOf(value: unknown): string | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string' || raw.length === 0) return null;
  return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

function headerOf(headers: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * openapi-backend validates bodies under `application/json` only and skips operations without an
 * operationId, so its copy of the document names every operation and files each JSON media type
 * (problem+json included) under `application/json`; which media type was sent is checked here instead.
 */
function forValidator(document: Document): Document {
  const copy = structuredClone(document);
  for (const [path, item] of Object.entries(copy.paths)) {
    for (const [method, operation] of Object.entries(item ?? {}) as Array<[string, OpenAPIV3.OperationObject]>) {
      operation.operationId = `${method.toUpperCase()} ${path}`;
      for (const response of Object.values(operation.responses) as ResponseObject[]) {
        const json = Object.entries(response.content ?? {}).find(([type]) => JSON_MEDIA.test(type));
        if (json) response.content = { 'application/json': json[1] };
      }
    }
  }
  return copy;
}

/** The documented response for a status: exact (`404`), then its range (`4XX`), then `default`. */
function documentedResponse(operation: OpenAPIV3.OperationObject, status: number): ResponseObject | undefined {
  const responses = operation.responses as Record<string, ResponseObject>;
  return responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
}

function refuse(...message: unknown[]): never {
  throw new OpenApiDriftError(`Ajv cannot check the document as written: ${message.join(' ')}`);
}

function describeErrors(errors: ReadonlyArray<{ instancePath?: string; message?: string }> | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim()).join('; ');
}

/**
 * Judges requests and responses against one OpenAPI document with openapi-backend (routing, parameter,
 * body and response schemas through Ajv), adding what it leaves out: an undocumented status, a media type
 * the operation does not declare, a body where none is documented, and the problem+json shape of errors
 * on paths the document does not list.
 */
export class OpenApiContract {
  private constructor(
    private readonly document: Document,
    private readonly api: OpenAPIBackend,
    private readonly validateProblem: (body: unknown) => boolean,
  ) {}

  static async load(document: Document): Promise<OpenApiContract> {
    // strict: an invalid OpenAPI document is itself a failure, not a warning; so is a schema Ajv would only
    // half check (an unknown format is otherwise logged and ignored).
    const api = new OpenAPIBackend({
      definition: forValidator(document),
      strict: true,
      // Compile each operation's validators when first met: a test file meets a few of them.
      quick: true,
      coerceTypes: true,
      validate: true,
      ajvOpts: { logger: { log: () => undefined, warn: refuse, error: refuse } },
      customizeAjv: (ajv) => formats.default(ajv),
    });
    await api.init();
    const problem = document.components?.schemas?.Problem;
    if (!problem) throw new OpenApiDriftError('The document has no shared Problem schema (components.schemas.Problem).');
    const validateProblem = api.validator.getAjv(ValidationContext.Response).compile(problem);
    return new OpenApiContract(document, api, (body) => validateProblem(body) === true);
  }

  /** Every way this exchange differs from the document; empty when it matches. */
  drift(request: SentRequest, response: LightMyRequestResponse): string[] {
    const [path = '/', query = ''] = request.url.split('?', 2);
    const method = request.method.toLowerCase();
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const matched = this.api.router.matchOperation({ method, path, query, headers }) as Operation | undefined;
    if (!matched) return method === 'head' ? [] : this.undocumentedPathDrift(response);
    const operation = this.document.paths[matched.path]?.[method as OpenAPIV3.HttpMethods];
    if (!operation) return [`${matched.path} has no ${method} operation in the document`];
    const where = `${request.method.toUpperCase()} ${matched.path} → ${response.statusCode}`;
    const refused = this.requestDrift(request, matched, operation, path, query, headers);
    const drift: string[] = [];
    // A request the document refuses may be answered with any 4xx (tests send bad input on purpose), but
    // the server must not accept it: then the document is stricter than the server.
    if (refused.length > 0 && response.statusCode < 400) {
      drift.push(...refused.map((r) => `${where}: the server accepted a request the document refuses: ${r}`));
    }
    drift.push(...this.responseDrift(matched, operation, response).map((r) => `${where}: ${r}`));
    return drift;
  }

  private requestDrift(
    request: SentRequest,
    matched: Operation,
    operation: OpenAPIV3.OperationObject,
    path: string,
    query: string,
    headers: Record<string, string>,
  ): string[] {
    const found: string[] = [];
    const payload = request.payload;
    const sendsBody = payload !== undefined && payload !== null && !(typeof payload === 'string' && payload.length === 0);
    const requestBody = operation.requestBody as OpenAPIV3.RequestBodyObject | undefined;
    const isRaw = typeof payload === 'string' || Buffer.isBuffer(payload);
    const mediaType = mediaTypeOf(headerOf(request.headers, 'content-type')) ?? (sendsBody && !isRaw ? 'application/json' : null);
    let body: unknown = sendsBody && !isRaw ? payload : undefined;
    if (sendsBody) {
      if (!requestBody) found.push('a request body is sent but none is documented');
      else if (!mediaType || !(mediaType in requestBody.content)) {
        found.push(`request body of type ${mediaType ?? 'none'} is not documented (${Object.keys(requestBody.content).join(', ')})`);
      } else if (isRaw) {
        try {
          body = JSON.parse(payload.toString());
        } catch {
          found.push('the request body is not valid JSON');
        }
      }
    } else if (requestBody?.required) {
      found.push('the documented request body is required but none is sent');
    }
    let result: ReturnType<typeof this.api.validator.validateRequest>;
    try {
      result = this.api.validator.validateRequest({ method: matched.method, path, query, headers, ...(body !== undefined ? { body } : {}) }, matched);
    } catch (error) {
      // The router decodes path parameters and throws on broken percent-encoding: the document refuses such a path.
      if (error instanceof URIError) return [...found, 'the path is not valid percent-encoded UTF-8'];
      throw error;
    }
    if (!result.valid) found.push(describeErrors(result.errors));
    return found;
  }

  private responseDrift(matched: Operation, operation: OpenAPIV3.OperationObject, response: LightMyRequestResponse): string[] {
    const documented = documentedResponse(operation, response.statusCode);
    if (!documented) return [`status ${response.statusCode} is not documented (${Object.keys(operation.responses).join(', ')})`];
    const hasBody = response.rawPayload.length > 0;
    const content = documented.content ?? {};
    if (Object.keys(content).length === 0) return hasBody ? ['a body is sent but the response is documented without content'] : [];
    const mediaType = mediaTypeOf(response.headers['content-type']);
    if (!hasBody || !mediaType) return [`no body is sent but the response is documented as ${Object.keys(content).join(', ')}`];
    if (!(mediaType in content)) return [`content type ${mediaType} is not documented (${Object.keys(content).join(', ')})`];
    if (!JSON_MEDIA.test(mediaType)) return [];
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      return [`the ${mediaType} body is not valid JSON`];
    }
    const result = this.api.validator.validateResponse(body, matched, response.statusCode);
    return result.valid ? [] : [`body does not match the documented schema: ${describeErrors(result.errors)}`];
  }

  /**
   * Paths the document does not list (unknown, hidden, a test's own): their errors are still Problems.
   * HEAD is never documented and has no body to judge.
   */
  private undocumentedPathDrift(response: LightMyRequestResponse): string[] {
    if (response.statusCode < 400) return [];
    const where = `undocumented path → ${response.statusCode}`;
    if (mediaTypeOf(response.headers['content-type']) !== 'application/problem+json') {
      return [`${where}: an error answered as ${String(response.headers['content-type'])}, not application/problem+json`];
    }
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      return [`${where}: the problem body is not valid JSON`];
    }
    return this.validateProblem(body) ? [] : [`${where}: the body does not match the Problem schema`];
  }
}

const loaded = new Map<string, Promise<OpenApiContract>>();

/** One contract per distinct document text: every test app of a file serves the same document. */
export function contractFor(documentText: string): Promise<OpenApiContract> {
  let contract = loaded.get(documentText);
  if (!contract) {
    contract = OpenApiContract.load(JSON.parse(documentText) as Document);
    loaded.set(documentText, contract);
  }
  return contract;
}

/** The parts of inject options the contract judges. */
export function sentRequest(options: InjectOptions | string): SentRequest {
  if (typeof options === 'string') return { method: 'GET', url: options, headers: {}, payload: undefined };
  const url = typeof options.url === 'string' ? options.url : (options.path as string | undefined) ?? '/';
  const query = options.query;
  const search = query === undefined ? '' : typeof query === 'string' ? query : new URLSearchParams(query as Record<string, string>).toString();
  return {
    method: options.method ?? 'GET',
    url: search.length > 0 ? `${url}${url.includes('?') ? '&' : '?'}${search}` : url,
    headers: (options.headers ?? {}) as Record<string, unknown>,
    payload: options.payload ?? options.body,
  };
}
