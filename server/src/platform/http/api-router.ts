import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z, type ZodType } from 'zod';
import type { RateLimitPolicyName } from '../../config';
import type { LimitPolicy, LimitSubject } from '../rate-limit/rate-limits';
import { forbidden, unauthenticated, validationFailed } from './errors';
import { errorBodySchema } from './openapi';
import { cleanJsonText } from './text-safety';

/**
 * The roles a caller may hold. The platform names none: the module that grants roles declares them
 * by augmenting this interface (see modules/identity/roles.ts) and hands ApiRouter the check.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by module augmentation
export interface DeclaredRoles {}
export type Role = keyof DeclaredRoles & string;

/** Who is calling, as established from the bearer token (never from the request body). */
export interface Principal {
  memberId: number;
  roles: Role[];
  tokenHash: string;
}

export interface Authenticator {
  authenticate(bearerToken: string): Promise<Principal | null>;
}

/** Who may call a route: the caller from the token, and whether the roles they hold grant `wanted`. */
export interface AccessControl {
  authenticator: Authenticator;
  hasRole(held: readonly Role[], wanted: Role): boolean;
}

/** `public`: anyone; `member`: any logged-in caller; a role list: a caller holding one of them. */
export type Access = 'public' | 'member' | readonly Role[];

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface HandlerInput<P, Q, B, A extends Access> {
  params: P;
  query: Q;
  body: B;
  principal: A extends 'public' ? Principal | null : Principal;
  ctx: Context;
}

export interface RouteSpec<P, Q, B, R, A extends Access> {
  method: HttpMethod;
  /** Koa-style path below the router's prefix, e.g. `/admin/members/:id/roles`. */
  path: string;
  summary: string;
  tag: string;
  access: A;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /**
   * Documents a `multipart/form-data` request body carrying one file in `field` (for the OpenAPI
   * document only: the handler parses the multipart body itself).
   */
  multipartFile?: { field: string; description: string };
  response: ZodType<R>;
  /**
   * Other media types the success answer may come in (e.g. `text/csv` for an export the handler
   * streams itself), for the OpenAPI document.
   */
  alsoProduces?: Record<string, string>;
  /** Success status (default 200; 204 answers without a body). */
  status?: number;
  /** Error statuses and what they mean, for the OpenAPI document. */
  errors?: Record<number, string>;
  /**
   * The rate-limit policy this route counts against (config.ts `rateLimitPolicies`), checked after
   * authentication and before validation. Public routes count against `anonymous` unless they name
   * another; `false` opts a route out.
   */
  rateLimit?: RateLimitPolicyName | false;
  /** The result (answered with `status`), or an ApiReply for a route that must answer another shape. */
  handler: (input: HandlerInput<P, Q, B, A>) => Promise<R | ApiReply>;
}

/**
 * An answer with its own status and body, for the rare route whose failures must keep a caller's
 * format instead of `{"error": …}` (WeChat Pay's notification expects `{"code": "FAIL", …}`).
 */
export class ApiReply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/** At most this many validation problems are listed, each message at most this long. */
const MAX_LISTED_PROBLEMS = 20;
const MAX_PROBLEM_MESSAGE = 200;

/** Path parameter holding a row id: a positive 32-bit integer written in digits. */
export const idParam = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'must be a positive whole number')
  .transform(Number)
  .pipe(z.number().max(2147483647, 'is too large'))
  .openapi({ type: 'integer', example: 1 });

type Problem = { path: string; message: string };

/** The problems of a request, capped: a body with thousands of unknown keys gets a short answer. */
function invalidRequest(problems: Problem[]): Error {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => ({
    path: p.path.slice(0, MAX_PROBLEM_MESSAGE),
    message: p.message.length > MAX_PROBLEM_MESSAGE ? `${p.message.slice(0, MAX_PROBLEM_MESSAGE - 1)}…` : p.message,
  }));
  const more = problems.length - listed.length;
  const summary = listed.map((p) => `${p.path} ${p.message}`).join('; ') + (more > 0 ? `; and ${more} more problems` : '');
  return validationFailed(`Invalid request: ${summary}`, listed);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const shown = issue.keys.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40))).join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${shown}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}`;
  }
  return issue.message;
}

function parseOrFail<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidRequest(
    result.error.issues.map((issue) => ({ path: [where, ...issue.path.map(String)].join('.'), message: issueMessage(issue) })),
  );
}

/** The body with its text cleaned (see text-safety), or a 400 naming the fields it cannot accept. */
function cleanBody(body: unknown): unknown {
  const { value, problems } = cleanJsonText(body);
  if (problems.length > 0) throw invalidRequest(problems);
  return value;
}

/** The token of `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
function bearerTokenOf(ctx: Context): string | null {
  const header = ctx.get('Authorization');
  const match = /^Bearer +([A-Za-z0-9_-]{16,128})$/i.exec(header);
  return match ? match[1] : null;
}

/** An OpenAPI request body of one binary file in a multipart/form-data field. */
function multipartBody(file: { field: string; description: string }) {
  const schema = z.object({
    [file.field]: z.string().openapi({ type: 'string', format: 'binary', description: file.description }),
  });
  return { required: true, content: { 'multipart/form-data': { schema } } };
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

/**
 * Registers each route twice from one spec: on the Koa router (with authentication, role check and
 * zod validation of params, query and body) and in the OpenAPI registry, so the document always
 * covers every route.
 */
export class ApiRouter {
  readonly router: Router;

  constructor(
    private readonly prefix: string,
    private readonly registry: OpenAPIRegistry,
    private readonly access: AccessControl,
    private readonly limits?: {
      consume(policy: RateLimitPolicyName, subject: LimitSubject): Promise<void>;
      policy(name: RateLimitPolicyName): LimitPolicy;
    },
  ) {
    this.router = new Router({ prefix });
  }

  add<P, Q, B, R, A extends Access>(spec: RouteSpec<P, Q, B, R, A>): void {
    const limit = this.limitOf(spec);
    this.router[spec.method](spec.path, async (ctx) => {
      const principal = await this.identify(ctx, spec.access);
      if (limit) await this.limits!.consume(limit, { memberId: principal?.memberId ?? null, ip: ctx.ip });
      const params = parseOrFail(spec.params, ctx.params, 'params');
      const query = parseOrFail(spec.query, ctx.query, 'query');
      const body = spec.body ? parseOrFail(spec.body, cleanBody(ctx.request.body ?? {}), 'body') : (undefined as B);
      const result = await spec.handler({ params, query, body, principal, ctx } as HandlerInput<P, Q, B, A>);
      if (result instanceof ApiReply) {
        ctx.status = result.status;
        ctx.body = result.body;
        return;
      }
      ctx.status = spec.status ?? 200;
      ctx.body = result;
    });
    this.document(spec, limit);
  }

  private limitOf(spec: { access: Access; rateLimit?: RateLimitPolicyName | false }): RateLimitPolicyName | null {
    if (!this.limits || spec.rateLimit === false) return null;
    return spec.rateLimit ?? (spec.access === 'public' ? 'anonymous' : null);
  }

  private async identify(ctx: Context, access: Access): Promise<Principal | null> {
    const token = bearerTokenOf(ctx);
    if (access === 'public') return token ? this.access.authenticator.authenticate(token) : null;
    if (!token) {
      throw ctx.get('Authorization') ? unauthenticated('The Authorization header must be "Bearer <token>".') : unauthenticated();
    }
    const principal = await this.access.authenticator.authenticate(token);
    if (!principal) throw unauthenticated('Your login has expired or was revoked; log in again.');
    if (access !== 'member' && !access.some((role) => this.access.hasRole(principal.roles, role))) {
      throw forbidden(`Only a ${access.join(' or ')} may do this.`);
    }
    ctx.state.principal = principal;
    return principal;
  }

  private document<P, Q, B, R, A extends Access>(spec: RouteSpec<P, Q, B, R, A>, limit: RateLimitPolicyName | null): void {
    const errorResponse = (description: string) => ({
      description,
      content: { 'application/json': { schema: errorBodySchema } },
    });
    const binary = z.string().openapi({ type: 'string', format: 'binary' });
    const alternatives = Object.fromEntries(Object.keys(spec.alsoProduces ?? {}).map((type) => [type, { schema: binary }]));
    const alternativesSaid = Object.entries(spec.alsoProduces ?? {}).map(([type, what]) => ` ${type}: ${what}.`).join('');
    const responses: RouteConfig['responses'] = {
      [spec.status ?? 200]:
        spec.status === 204
          ? { description: 'Done (no content)' }
          : { description: alternativesSaid ? `Success.${alternativesSaid}` : 'Success', content: { 'application/json': { schema: spec.response }, ...alternatives } },
    };
    if (spec.params || spec.query || spec.body || spec.multipartFile) responses[400] = errorResponse('VALIDATION_FAILED or MALFORMED_JSON');
    if (spec.access !== 'public') responses[401] = errorResponse('UNAUTHENTICATED');
    if (Array.isArray(spec.access)) responses[403] = errorResponse('FORBIDDEN');
    if (limit) {
      responses[429] = {
        ...errorResponse(`RATE_LIMITED (the ${limit} limit); wait the seconds in Retry-After`),
        headers: { 'Retry-After': { description: 'Seconds until the limit lets this caller in again', schema: { type: 'integer' } } },
      };
    }
    for (const [status, description] of Object.entries(spec.errors ?? {})) responses[Number(status)] = errorResponse(description);

    this.registry.registerPath({
      method: spec.method,
      path: toOpenApiPath(this.prefix + spec.path),
      summary: spec.summary,
      tags: [spec.tag],
      security: spec.access === 'public' ? [] : [{ bearerAuth: [] }],
      ...(limit ? { 'x-rate-limit': { policy: limit, ...this.limits!.policy(limit) } } : {}),
      request: {
        // Params and query schemas are always z.object(...) in practice; the registry wants that type.
        params: spec.params as z.ZodObject | undefined,
        query: spec.query as z.ZodObject | undefined,
        body: spec.body
          ? { content: { 'application/json': { schema: spec.body } } }
          : spec.multipartFile
            ? multipartBody(spec.multipartFile)
            : undefined,
      },
      responses,
    });
  }
}
