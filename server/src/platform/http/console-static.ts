import fs from 'node:fs';
import path from 'node:path';
import type { Context, Middleware } from 'koa';
import send from 'koa-send';
import { AppError } from './errors';

export const CONSOLE_PREFIX = '/console';

/**
 * The console's Content-Security-Policy: scripts, styles, fonts and API calls from this server only,
 * no inline script, no eval, no inline style. Vue and Element Plus set styles through the CSSOM
 * (element.style), which CSP does not govern, so `style-src 'self'` holds: the end-to-end suite
 * fails on any violation. Images: uploads here, and the login QR code drawn as a data: URL.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built console (Vite's dist/console) at /console/: hashed files under assets/ cached
 * for a year as immutable, everything else (index.html above all) revalidated on every load, and
 * any other path under /console/ answered with index.html so the router's history URLs reload.
 */
export function consoleStatic(dir: string): Middleware {
  const indexFile = path.join(dir, 'index.html');
  return async (ctx: Context, next) => {
    if (ctx.path !== CONSOLE_PREFIX && !ctx.path.startsWith(`${CONSOLE_PREFIX}/`)) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.throw(405);
    }
    if (ctx.path === CONSOLE_PREFIX) {
      ctx.status = 301;
      ctx.redirect(`${CONSOLE_PREFIX}/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
      return;
    }
    if (!fs.existsSync(indexFile)) {
      throw new AppError(503, 'CONSOLE_NOT_BUILT', 'The console has not been built: run npm run build:console (npm start does it when it is missing).');
    }
    ctx.set('Content-Security-Policy', CONSOLE_CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    const relative = ctx.path.slice(CONSOLE_PREFIX.length + 1);
    if (relative.startsWith('assets/')) {
      await send(ctx, relative, { root: dir, setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable') });
      return;
    }
    const isFile = relative !== '' && !relative.endsWith('/') && isPlainFileIn(dir, relative);
    ctx.set('Cache-Control', 'no-cache');
    await send(ctx, isFile ? relative : 'index.html', { root: dir, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') });
  };
}

/** A regular file inside `dir` (never outside it: `..` and absolute paths are refused). */
function isPlainFileIn(dir: string, relative: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return false;
  }
  const full = path.resolve(dir, decoded);
  if (!full.startsWith(path.resolve(dir) + path.sep)) return false;
  try {
    return fs.statSync(full).isFile();
  } catch {
    return false;
  }
}
