import type { Context } from 'koa';
import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { memberDtoSchema } from '../identity/member.dto';
import type { BrowserInfo, ConsoleAuthService } from './console-auth.service';
import { loginTicketPattern } from './console-login-rules';

const ticketParams = z.object({
  ticket: z.string().regex(loginTicketPattern, 'must be the ticket from POST /console/login-tickets'),
});

const secondsLeft = z.number().int().openapi({ description: 'The deadline relative to now (clients need not trust their own clock)' });
const consoleLoginSchema = z
  .object({ token: z.string(), expiresAt: z.string(), expiresInSeconds: secondsLeft, member: memberDtoSchema })
  .openapi('ConsoleLogin');

const browserOf = (ctx: Context): BrowserInfo => ({ ip: ctx.ip || 'unknown', userAgent: ctx.get('User-Agent') || 'unknown' });

export interface ConsoleAuthRouteOptions {
  /** Fake WeChat mode: the login page may also log in by openid. */
  devLogin: boolean;
}

export function registerConsoleAuthRoutes(api: ApiRouter, consoleAuth: ConsoleAuthService, options: ConsoleAuthRouteOptions): void {
  api.add({
    method: 'get', path: '/console/config', tag: 'console', access: 'public',
    summary: 'What the console\'s login page offers (the development login only in fake WeChat mode)',
    response: z.object({ devLogin: z.boolean() }),
    handler: async () => ({ devLogin: options.devLogin }),
  });
  api.add({
    method: 'post', path: '/console/login-tickets', tag: 'console', access: 'public', status: 201, rateLimit: 'consoleLogin',
    summary: 'A console login ticket for the QR code (128 random bits, valid for 2 minutes)',
    response: z.object({ ticket: z.string(), qrContent: z.string(), expiresAt: z.string(), expiresInSeconds: secondsLeft }).openapi('ConsoleLoginTicket'),
    handler: ({ ctx }) => consoleAuth.openTicket(browserOf(ctx)),
  });
  api.add({
    method: 'get', path: '/console/login-tickets/:ticket', tag: 'console', access: 'public', params: ticketParams, rateLimit: 'consoleLogin',
    summary: 'Poll a ticket: pending, approved (the console token comes with the first answer after approval, and never again) or expired',
    response: z.object({
      state: z.enum(['pending', 'approved', 'expired']),
      expiresAt: z.string(),
      token: z.string().optional(),
      sessionExpiresAt: z.string().optional(),
      sessionExpiresInSeconds: secondsLeft.optional(),
      member: memberDtoSchema.optional(),
    }),
    errors: { 404: 'NOT_FOUND' },
    handler: async ({ params }) => {
      const { state, expiresAt, login } = await consoleAuth.collect(params.ticket);
      return login
        ? { state, expiresAt, token: login.token, sessionExpiresAt: login.expiresAt, sessionExpiresInSeconds: login.expiresInSeconds, member: login.member }
        : { state, expiresAt };
    },
  });
  api.add({
    method: 'get', path: '/console/login-tickets/:ticket/browser', tag: 'console', access: ['teacher', 'operator'], params: ticketParams,
    summary: 'For the Mini Program\'s confirm page: which browser asked, from which address, when',
    response: z.object({
      state: z.enum(['pending', 'approved', 'expired']),
      browser: z.string(),
      ip: z.string(),
      requestedAt: z.string(),
      expiresAt: z.string(),
    }),
    errors: { 404: 'NOT_FOUND' },
    handler: ({ params }) => consoleAuth.describeTicket(params.ticket),
  });
  api.add({
    method: 'post', path: '/console/login-tickets/:ticket/approve', tag: 'console', access: ['teacher', 'operator'], params: ticketParams,
    status: 204, summary: 'Approve a console login from the Mini Program (once, before it expires); the console gets my roles',
    body: z.strictObject({}), response: z.void(),
    errors: { 404: 'NOT_FOUND', 409: 'LOGIN_TICKET_ALREADY_APPROVED', 410: 'LOGIN_TICKET_EXPIRED' },
    handler: ({ principal, params }) => consoleAuth.approve(principal, params.ticket),
  });
  if (options.devLogin) {
    api.add({
      method: 'post', path: '/console/dev-login', tag: 'dev', access: 'public', rateLimit: 'consoleLogin',
      summary: 'Fake WeChat mode only: log in to the console as a teacher or operator by openid',
      body: z.strictObject({ openid: z.string().trim().min(1).max(64).openapi({ example: 'alice' }) }),
      response: consoleLoginSchema,
      errors: { 403: 'FORBIDDEN (not a teacher or operator)' },
      handler: ({ body, ctx }) => consoleAuth.devLogin(body.openid, browserOf(ctx)),
    });
  }
  api.add({
    method: 'post', path: '/console/logout', tag: 'console', access: ['teacher', 'operator'], status: 204,
    summary: 'End this console session', response: z.void(),
    handler: ({ principal }) => consoleAuth.logout(principal),
  });
  api.add({
    method: 'get', path: '/console/sessions', tag: 'console', access: ['teacher', 'operator'],
    summary: 'My console sessions that have not expired',
    response: z.object({
      items: z.array(z.object({
        id: z.number().int(), via: z.enum(['qr', 'dev']), browser: z.string(), ip: z.string(),
        createdAt: z.string(), expiresAt: z.string(), current: z.boolean(),
      })),
    }),
    handler: ({ principal }) => consoleAuth.sessions(principal),
  });
  api.add({
    method: 'delete', path: '/console/sessions/:id', tag: 'console', access: ['teacher', 'operator'], params: z.object({ id: idParam }),
    status: 204, summary: 'End one of my console sessions', response: z.void(), errors: { 404: 'NOT_FOUND' },
    handler: ({ principal, params }) => consoleAuth.revoke(principal, params.id),
  });
}
