import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z, type ZodType } from 'zod';
import { hasRole, type Role } from '../../modules/identity/roles';
import { forbidden, unauthenticated, validationFailed } from './errors';
import { errorBodySchema } from './openapi';

/** Who is calling, as established from the bearer token (never from the request body). */
export interface Principal {
  memberId: number;
  roles: Role[];
  tokenHash: string;
}

export interface Authenticator {
  authenticate(bearerToken: string): Promise<Principal | null>;
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
  /** Success status (default 200). */
  status?: number;
  /** Error statuses and what they mean, for the OpenAPI document. */
  errors?: Record<number, string>;
  handler: (input: HandlerInput<P, Q, B, A>) => Promise<R>;
}

/** Path parameter holding a row id: a positive 32-bit integer written in digits. */
export const idParam = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'must be a positive whole number')
  .transform(Number)
  .pipe(z.number().max(2147483647, 'is too large'))
  .openapi({ type: 'integer', example: 1 });

function parseOrFail<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw validationFailed(
    `Invalid request: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    problems,
  );
}

function bearerTokenOf(ctx: Context): string | null {
  const header = ctx.get('Authorization');
  const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header);
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
    private readonly authenticator: Authenticator,
  ) {
    this.router = new Router({ prefix });
  }

  add<P, Q, B, R, A extends Access>(spec: RouteSpec<P, Q, B, R, A>): void {
    this.router[spec.method](spec.path, async (ctx) => {
      const principal = await this.identify(ctx, spec.access);
      const params = parseOrFail(spec.params, ctx.params, 'params');
      const query = parseOrFail(spec.query, ctx.query, 'query');
      const body = parseOrFail(spec.body, ctx.request.body ?? {}, 'body');
      const result = await spec.handler({ params, query, body, principal, ctx } as HandlerInput<P, Q, B, A>);
      ctx.status = spec.status ?? 200;
      ctx.body = result;
    });
    this.document(spec);
  }

  private async identify(ctx: Context, access: Access): Promise<Principal | null> {
    const token = bearerTokenOf(ctx);
    if (access === 'public') return token ? this.authenticator.authenticate(token) : null;
    if (!token) {
      throw ctx.get('Authorization') ? unauthenticated('The Authorization header must be "Bearer <token>".') : unauthenticated();
    }
    const principal = await this.authenticator.authenticate(token);
    if (!principal) throw unauthenticated('Your login has expired or was revoked; log in again.');
    if (access !== 'member' && !access.some((role) => hasRole(principal.roles, role))) {
      throw forbidden(`Only a ${access.join(' or ')} may do this.`);
    }
    ctx.state.principal = principal;
    return principal;
  }

  private document<P, Q, B, R, A extends Access>(spec: RouteSpec<P, Q, B, R, A>): void {
    const errorResponse = (description: string) => ({
      description,
      content: { 'application/json': { schema: errorBodySchema } },
    });
    const responses: RouteConfig['responses'] = {
      [spec.status ?? 200]: {
        description: 'Success',
        content: { 'application/json': { schema: spec.response } },
      },
    };
    if (spec.params || spec.query || spec.body || spec.multipartFile) responses[400] = errorResponse('VALIDATION_FAILED or MALFORMED_JSON');
    if (spec.access !== 'public') responses[401] = errorResponse('UNAUTHENTICATED');
    if (Array.isArray(spec.access)) responses[403] = errorResponse('FORBIDDEN');
    for (const [status, description] of Object.entries(spec.errors ?? {})) responses[Number(status)] = errorResponse(description);

    this.registry.registerPath({
      method: spec.method,
      path: toOpenApiPath(this.prefix + spec.path),
      summary: spec.summary,
      tags: [spec.tag],
      security: spec.access === 'public' ? [] : [{ bearerAuth: [] }],
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
