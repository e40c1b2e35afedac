import { z } from 'zod';
import { idParam, type ApiRouter } from '../../platform/http/api-router';
import { pageQuerySchema } from '../../platform/http/paging';
import type { IdentityService } from './identity.service';
import { memberDtoSchema } from './member.dto';
import { grantableRoles } from './roles';

export function registerIdentityRoutes(api: ApiRouter, identity: IdentityService): void {
  api.add({
    method: 'post',
    path: '/auth/wechat-login',
    summary: 'Log in with a wx.login() code (in fake mode: "fake:<openid>")',
    tag: 'identity',
    access: 'public',
    body: z.strictObject({
      code: z.string().min(1).max(128).openapi({ example: 'fake:alice' }),
    }),
    response: z.object({ token: z.string(), member: memberDtoSchema }),
    errors: {
      401: 'WECHAT_CODE_INVALID',
      403: 'WECHAT_USER_BLOCKED',
      429: 'WECHAT_RATE_LIMITED',
      503: 'WECHAT_UNAVAILABLE',
    },
    rateLimit: 'login',
    handler: ({ body }) => identity.login(body.code),
  });

  api.add({
    method: 'post',
    path: '/auth/logout',
    summary: 'Revoke the bearer token of this request',
    tag: 'identity',
    access: 'member',
    response: z.object({ loggedOut: z.literal(true) }),
    handler: async ({ principal }) => {
      await identity.logout(principal);
      return { loggedOut: true as const };
    },
  });

  api.add({
    method: 'post',
    path: '/auth/logout-all',
    summary: 'Revoke every login of mine, on every device (this one included)',
    tag: 'identity',
    access: 'member',
    response: z.object({ loggedOut: z.literal(true), revoked: z.number().int() }),
    handler: async ({ principal }) => ({ loggedOut: true as const, ...(await identity.logoutAll(principal)) }),
  });

  api.add({
    method: 'get',
    path: '/me',
    summary: 'The member behind the bearer token',
    tag: 'identity',
    access: 'member',
    response: memberDtoSchema,
    handler: ({ principal }) => identity.getMember(principal.memberId),
  });

  api.add({
    method: 'put',
    path: '/me',
    summary: 'Set my nickname (checked by WeChat content security) and avatar (an image uploaded here)',
    tag: 'identity',
    access: 'member',
    body: z.strictObject({
      nickname: z.string().trim().min(1).max(32).optional(),
      avatarUrl: z.string().max(512).nullable().optional(),
    }),
    response: memberDtoSchema,
    errors: { 503: 'CONTENT_CHECK_UNAVAILABLE' },
    rateLimit: 'contentWrite',
    handler: ({ principal, body }) => identity.updateProfile(principal, body),
  });

  api.add({
    method: 'post',
    path: '/admin/members/:id/roles',
    summary: 'Set the roles granted to a member (replaces them; "member" is implicit)',
    tag: 'identity',
    access: ['operator'],
    params: z.object({ id: idParam }),
    body: z.strictObject({
      roles: z.array(z.enum(grantableRoles)).max(grantableRoles.length),
    }),
    response: memberDtoSchema,
    errors: { 404: 'NOT_FOUND', 409: 'CANNOT_REMOVE_OWN_OPERATOR_ROLE' },
    handler: ({ principal, params, body }) => identity.setRoles(principal.memberId, params.id, body.roles),
  });
  api.add({
    method: 'get', path: '/admin/members', tag: 'identity', access: ['operator'],
    summary: 'Members, newest first, for pickers (e.g. ?role=teacher, ?q=nickname or id)',
    query: pageQuerySchema.extend({ role: z.enum(grantableRoles).optional(), q: z.string().trim().min(1).max(32).optional() }),
    response: z.object({ items: z.array(memberDtoSchema), nextCursor: z.string().nullable() }),
    handler: ({ query }) => identity.listMembers({ role: query.role, query: query.q, limit: query.limit, before: query.before }),
  });
}
