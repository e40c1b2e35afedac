import { bodyParser } from '@koa/bodyparser';
import type { Redis } from 'ioredis';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { AppConfig } from './config';
import { registerIdentityRoutes } from './modules/identity/identity.routes';
import { hasRole } from './modules/identity/roles';
import type { Clock, SettableClock } from './platform/clock/clock';
import { registerTestClockRoutes } from './platform/clock/test-clock.routes';
import { ApiRouter } from './platform/http/api-router';
import { errorMiddleware } from './platform/http/error-middleware';
import { methodNotAllowed, securityHeaders } from './platform/http/http-hardening';
import { createApiRegistry, errorBodySchema, generateOpenApiDocument } from './platform/http/openapi';
import { requestContext } from './platform/http/request-context';
import { consoleStatic } from './platform/http/console-static';
import type { WeChatAdapter } from './platform/wechat/wechat-adapter';
import { registerCohortRoutes } from './modules/cohort/cohort.routes';
import { registerCheckinRoutes } from './modules/checkin/checkin.routes';
import { registerPointsRoutes } from './modules/points/points.routes';
import { registerUploadRoutes, uploadServingMiddleware } from './modules/upload/upload.routes';
import { registerMallModule } from './modules/mall/mall.module';
import type { ObjectStorage } from './platform/storage/object-storage';
import { createModules, type Modules } from './modules';
import { registerReviewRoutes } from './modules/review/review.routes';
import { registerNotifyRoutes } from './modules/notify/notify.routes';
import { registerConversionRoutes } from './modules/conversion/conversion.routes';
import { registerInsightsRoutes } from './modules/insights/insights.routes';
import { registerAnnouncementRoutes } from './modules/announcement/announcement.routes';
import { registerInteractionRoutes } from './modules/interaction/interaction.routes';
import { registerLeaderboardRoutes } from './modules/leaderboard/leaderboard.routes';
import { registerReferralRoutes } from './modules/referral/referral.routes';
import { consoleAwareAuthenticator } from './modules/console-auth/console-auth.service';
import { registerConsoleAuthRoutes } from './modules/console-auth/console-auth.routes';
import { registerFollowUpRoutes } from './modules/follow-up/follow-up.routes';
import { registerModerationRoutes } from './modules/moderation/moderation.routes';
import { registerStaffRoutes } from './modules/staff/staff.routes';
import { registerAuditRoutes } from './modules/audit/audit.routes';
import { registerPrivacyRoutes } from './modules/privacy/privacy.routes';

export interface AppDeps {
  config: AppConfig;
  dataSource: DataSource;
  logger: Logger;
  /** The server's clock; a SettableClock when the test clock is allowed. */
  clock: Clock | SettableClock;
  wechat: WeChatAdapter;
  /** Where uploaded images live; LocalDiskStorage under DATA_DIR/uploads unless given. */
  storage?: ObjectStorage;
  /** The Redis connection when REDIS_URL is set (rate limits shared by every instance). */
  redis?: Redis | null;
}

export const API_PREFIX = '/api/v1';
const JSON_BODY_LIMIT = '100kb';
const healthSchema = z.object({ status: z.literal('ok'), database: z.string() });

function isSettable(clock: Clock | SettableClock): clock is SettableClock {
  return typeof (clock as SettableClock).set === 'function';
}

/**
 * Builds the Koa application without listening: main.ts listens, tests mount it with supertest.
 * Pass `modules` to share services with the job scheduler.
 */
export function createApp(deps: AppDeps, modules: Modules = createModules(deps)): Koa {
  const { config, dataSource, logger, clock } = deps;
  const { storage, limits, uploads, identity, cohorts, checkins, points, reviews, notify, conversion, disband, metrics, costs, announcements, likes, comments, leaderboard, referrals, consoleAuth, followUps, moderation, staff } = modules;
  const registry = createApiRegistry();

  const api = new ApiRouter(API_PREFIX, registry, { authenticator: consoleAwareAuthenticator(identity, consoleAuth), hasRole }, limits);
  registerIdentityRoutes(api, identity);
  registerCohortRoutes(api, cohorts);
  registerCheckinRoutes(api, checkins);
  registerInteractionRoutes(api, likes, comments);
  registerLeaderboardRoutes(api, leaderboard);
  registerPointsRoutes(api, points);
  registerReviewRoutes(api, reviews);
  registerNotifyRoutes(api, notify);
  registerConversionRoutes(api, conversion, disband);
  registerInsightsRoutes(api, metrics, costs);
  registerAnnouncementRoutes(api, announcements);
  registerReferralRoutes(api, referrals);
  registerUploadRoutes(api, {
    uploads, limits, ...config.uploads, clock,
    audioLimitOfCohort: (principal, cohortId) => cohorts.audioLimitFor(principal, cohortId),
  });
  registerMallModule(api, { dataSource, clock, uploads, timeZone: config.businessTimeZone });
  registerConsoleAuthRoutes(api, consoleAuth, { devLogin: config.wechat.mode === 'fake' && config.nodeEnv !== 'production' });
  registerStaffRoutes(api, staff);
  registerFollowUpRoutes(api, followUps);
  registerModerationRoutes(api, moderation);
  registerAuditRoutes(api, dataSource);
  registerPrivacyRoutes(api, modules.dataExports, modules.accountDeletion);
  if (config.allowTestClock && config.nodeEnv !== 'production') {
    if (!isSettable(clock)) throw new Error('ALLOW_TEST_CLOCK needs a SettableClock');
    registerTestClockRoutes(api, clock);
  }

  api.add({
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI 3 document',
    tag: 'meta',
    access: 'public',
    response: z.object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.looseObject({}) }),
    handler: async () => (openApiDocument ??= generateOpenApiDocument(registry)),
  });
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness and database check',
    tags: ['meta'],
    responses: {
      200: { description: 'The database answers', content: { 'application/json': { schema: healthSchema } } },
      503: { description: 'DATABASE_UNAVAILABLE', content: { 'application/json': { schema: errorBodySchema } } },
    },
  });
  // Built on the first request for it (about a second of CPU): a start does not wait for it.
  let openApiDocument: ReturnType<typeof generateOpenApiDocument> | undefined;

  // Behind N proxies the client address is the N-th entry of X-Forwarded-For from the right: entries
  // further left were written by the client and would let anyone pick their own rate-limit key.
  const app = new Koa({ proxy: config.trustProxyHops > 0, maxIpsCount: config.trustProxyHops });
  // Errors after the answer has started (a streamed file whose client went away, a store failing
  // mid-stream) reach Koa's error event instead of errorMiddleware: log them instead of printing.
  app.on('error', (error: NodeJS.ErrnoException) => {
    const clientLeft = error.code === 'ERR_STREAM_PREMATURE_CLOSE' || error.code === 'ECONNRESET' || error.code === 'EPIPE';
    if (clientLeft) logger.debug({ err: error }, 'client closed the connection during the answer');
    else logger.error({ err: error }, 'error while sending an answer');
  });
  app.use(securityHeaders());
  app.use(requestContext(logger));
  app.use(errorMiddleware());
  app.use(async (ctx, next) => {
    if (ctx.path !== '/healthz') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.throw(405);
    }
    await dataSource.query('SELECT 1');
    ctx.body = { status: 'ok', database: dataSource.options.type };
  });
  app.use(uploadServingMiddleware(storage));
  app.use(consoleStatic(config.consoleDir));
  // DELETE bodies are parsed too, so a malformed one is refused rather than silently ignored.
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: JSON_BODY_LIMIT, jsonStrict: true, parsedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'] }));
  app.use(api.router.routes());
  app.use(methodNotAllowed(api.router));
  return app;
}
