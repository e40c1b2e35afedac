import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { AppError } from './errors';

/**
 * Headers on every answer: browsers must not guess content types, and nothing may be cached on the
 * way (answers carry personal data: phone numbers, redemption addresses). Routes that serve files
 * (uploads) set their own caching after this.
 */
export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}

/**
 * After the router: a method the path does not accept is 405 with `Allow` (TRACE, PROPFIND, PURGE,
 * LINK included), a method on a path that does not exist at all is 501; never a 500.
 */
export function methodNotAllowed(router: Router): Middleware {
  const allowedMethods = router.allowedMethods({ throw: false }) as unknown as Middleware;
  return async (ctx, next) => {
    await allowedMethods(ctx, next);
    if ((ctx.status !== 405 && ctx.status !== 501) || ctx.body !== undefined) return;
    const allow = ctx.response.get('Allow');
    if (allow) throw new AppError(405, 'METHOD_NOT_ALLOWED', `This path accepts ${allow}, not ${ctx.method}.`);
    ctx.remove('Allow');
    throw new AppError(501, 'NOT_IMPLEMENTED', `This server does not implement ${ctx.method}.`);
  };
}
