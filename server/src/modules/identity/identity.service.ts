import { In, type DataSource, type EntityManager, type EntityTarget } from 'typeorm';
import type { CacheBus, SharedCache } from '../../platform/cache/shared-cache';
import type { Clock } from '../../platform/clock/clock';
import { dbDateTime, select } from '../../platform/db/sql';
import { withTransaction } from '../../platform/db/transaction';
import type { Authenticator, Principal } from '../../platform/http/api-router';
import { conflict, notFound, unauthenticated, validationFailed } from '../../platform/http/errors';
import { contentRejected, type ContentCheck } from '../../platform/wechat/content-check';
import type { WeChatAuth } from '../../platform/wechat/wechat-auth';
import { keyFromUploadUrl } from '../upload/upload-keys';
import type { UploadService } from '../upload/upload.service';
import { CohortTeacher } from '../cohort/cohort.entity';
import { AuthToken } from './auth-token.entity';
import { MemberRole } from './member-role.entity';
import { Member } from './member.entity';
import { toMemberDto, type MemberDto } from './member.dto';
import { nicknameProblem } from './nickname-rules';
import { effectiveRoles, hasRole, type GrantableRole } from './roles';
import { hashBearerToken, newBearerToken } from './tokens';
import { ensureBalanceRow } from '../points/points.service';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Live logins a member keeps (phones, the console, a tablet); the oldest beyond these are revoked. */
export const MAX_TOKENS_PER_MEMBER = 10;

/**
 * Logins a member holds outside `auth_token` (the web console's sessions). They end with the member's
 * own logins on "log out everywhere", and whenever an operator takes a role away from the member.
 */
export interface OtherLogins {
  /** Ends every such login of the member, in the caller's transaction; answers how many ended. */
  endAllOf(manager: EntityManager, memberId: number): Promise<number>;
}

/**
 * Keeps the member's newest MAX_TOKENS_PER_MEMBER rows of a login table (ids grow with time), so a
 * login loop cannot pile up live tokens.
 */
export async function keepNewestLogins(
  manager: EntityManager,
  table: EntityTarget<{ id: number; memberId: number }>,
  memberId: number,
): Promise<void> {
  const oldestKept = await manager.find(table, {
    select: { id: true },
    where: { memberId },
    order: { id: 'DESC' },
    skip: MAX_TOKENS_PER_MEMBER - 1,
    take: 1,
  });
  if (oldestKept.length === 0) return;
  await manager
    .createQueryBuilder()
    .delete()
    .from(table)
    .where('member_id = :memberId AND id < :id', { memberId, id: oldestKept[0].id })
    .execute();
}

/** A login as the token cache keeps it: who, with which roles, until when. */
interface CachedLogin {
  memberId: number;
  roles: Principal['roles'];
  expiresAt: number;
}

const TOKEN_CACHE = 'tokens';
/** Tokens read in one statement at most. */
const LOGINS_PER_READ = 100;
/**
 * Every request authenticates; a token and its roles are read from the database at most this often.
 * Every change to a login or a role is announced (and while announcements cannot be heard the cache
 * stands aside), so this only bounds a change made behind the app's back. It is long enough that the
 * token read when a member opens the composer still serves the check-in posted minutes later.
 */
const TOKEN_CACHE_TTL_MS = 10 * 60_000;

export interface IdentitySettings {
  operatorOpenids: readonly string[];
  tokenTtlDays: number;
}

export class IdentityService implements Authenticator {
  private readonly otherLogins: OtherLogins[] = [];
  private readonly tokens: SharedCache<CachedLogin>;
  /** Tokens whose login is to be read at the next turn of the event loop, with who waits for each. */
  private loginsWanted: Map<string, Array<{ resolve: (login: CachedLogin | null) => void; reject: (error: unknown) => void }>> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly wechat: WeChatAuth,
    private readonly contentCheck: ContentCheck,
    private readonly clock: Clock,
    private readonly uploads: UploadService,
    private readonly settings: IdentitySettings,
    private readonly cacheBus: CacheBus,
  ) {
    // Dropped by member: logging out, "log out everywhere" and a role taken away all announce the member.
    this.tokens = cacheBus.cache<CachedLogin>(TOKEN_CACHE, { ttlMs: TOKEN_CACHE_TTL_MS, maxEntries: 50_000, tagOf: (login) => memberTag(login.memberId) });
  }

  /** Every instance forgets the member's cached logins and roles (after the change is committed). */
  async forgetLoginsOf(memberId: number): Promise<void> {
    await this.cacheBus.announce(TOKEN_CACHE, memberTag(memberId));
  }

  /** Also ends these logins on "log out everywhere" and when a role is taken away (wired in modules.ts). */
  alsoEnds(logins: OtherLogins): void {
    this.otherLogins.push(logins);
  }

  /** WeChat login: code → openid → member (created on first login) → a fresh bearer token. */
  async login(code: string): Promise<{ token: string; member: MemberDto }> {
    const session = await this.wechat.codeToSession(code);
    const token = newBearerToken();
    const now = this.clock.now();

    const member = await withTransaction(this.dataSource, async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(Member)
        .values({ openid: session.openid, unionid: session.unionid ?? null, createdAt: now, lastLoginAt: now })
        .orIgnore()
        .execute();
      const found = await manager.findOneByOrFail(Member, { openid: session.openid });
      // A deleted account's openid is a tombstone no WeChat openid looks like; never log into it.
      if (found.deletedAt) throw unauthenticated('This account was deleted; log in again with WeChat to start a new one.');
      found.sessionKey = session.sessionKey;
      found.lastLoginAt = now;
      if (session.unionid) found.unionid = session.unionid;
      await manager.save(found);

      await ensureBalanceRow(manager, found.id, now);
      if (this.settings.operatorOpenids.includes(session.openid)) {
        await this.grantRoles(manager, found.id, ['operator'], null, now);
      }
      await manager
        .createQueryBuilder()
        .delete()
        .from(AuthToken)
        .where('member_id = :memberId AND expires_at <= :now', { memberId: found.id, now })
        .execute();
      await manager.insert(AuthToken, {
        tokenHash: hashBearerToken(token),
        memberId: found.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.settings.tokenTtlDays * DAY_MS),
      });
      await keepNewestLogins(manager, AuthToken, found.id);
      return found;
    });
    // The login may have granted a role and ended the oldest logins of the member.
    await this.forgetLoginsOf(member.id);

    return { token, member: toMemberDto(member, await this.grantedRolesOf(member.id)) };
  }

  /** The caller of a bearer token, from the token cache or the database (token joined with roles). */
  async authenticate(bearerToken: string): Promise<Principal | null> {
    const tokenHash = hashBearerToken(bearerToken);
    const login = await this.tokens.get(tokenHash, () => this.loginOf(tokenHash));
    if (!login || login.expiresAt <= this.clock.now().getTime()) return null;
    return { memberId: login.memberId, roles: login.roles, tokenHash };
  }

  /**
   * The login of a token, read with the other tokens missing from the cache at the same moment: a
   * rush of first requests (each member's first since the server started) reads them in a few
   * statements instead of one each.
   */
  private loginOf(tokenHash: string): Promise<CachedLogin | null> {
    return new Promise((resolve, reject) => {
      if (!this.loginsWanted) {
        this.loginsWanted = new Map();
        setImmediate(() => void this.readLogins());
      }
      const waiting = this.loginsWanted.get(tokenHash);
      if (waiting) waiting.push({ resolve, reject });
      else this.loginsWanted.set(tokenHash, [{ resolve, reject }]);
    });
  }

  private async readLogins(): Promise<void> {
    const wanted = this.loginsWanted!;
    this.loginsWanted = null;
    const hashes = [...wanted.keys()];
    for (let start = 0; start < hashes.length; start += LOGINS_PER_READ) {
      const chunk = hashes.slice(start, start + LOGINS_PER_READ);
      try {
        const logins = await this.readLoginsOf(chunk);
        for (const hash of chunk) for (const waiter of wanted.get(hash)!) waiter.resolve(logins.get(hash) ?? null);
      } catch (error) {
        for (const hash of chunk) for (const waiter of wanted.get(hash)!) waiter.reject(error);
      }
    }
  }

  private async readLoginsOf(tokenHashes: string[]): Promise<Map<string, CachedLogin>> {
    // Hand-written: TypeORM's query builder cost more CPU than the read.
    const manager = this.dataSource.manager;
    const rows = await select<{ tokenHash: string; memberId: number | string; role: string | null; expiresAt: Date | string }>(
      manager,
      `SELECT t.token_hash AS tokenHash, t.member_id AS memberId, t.expires_at AS expiresAt, r.role AS role
       FROM auth_token t LEFT JOIN member_role r ON r.member_id = t.member_id
       WHERE t.token_hash IN (${tokenHashes.map(() => '?').join(', ')}) AND t.expires_at > ?`,
      [...tokenHashes, dbDateTime(manager, this.clock.now())],
    );
    const expiresAt = this.dataSource.getMetadata(AuthToken).findColumnWithPropertyName('expiresAt')!;
    const rowsOf = new Map<string, typeof rows>();
    for (const row of rows) rowsOf.set(row.tokenHash, [...(rowsOf.get(row.tokenHash) ?? []), row]);
    const logins = new Map<string, CachedLogin>();
    for (const [hash, [first, ...others]] of rowsOf) {
      logins.set(hash, {
        memberId: Number(first.memberId),
        roles: effectiveRoles([first, ...others].flatMap((row) => (row.role ? [row.role] : []))),
        expiresAt: this.dataSource.driver.prepareHydratedValue(first.expiresAt, expiresAt).getTime(),
      });
    }
    return logins;
  }

  async logout(principal: Principal): Promise<void> {
    await withTransaction(this.dataSource, (manager) =>
      manager.delete(AuthToken, { tokenHash: principal.tokenHash }),
    );
    await this.forgetLoginsOf(principal.memberId);
  }

  /** Revokes every login of the member, this one included (a lost phone, a shared computer), console sessions too. */
  async logoutAll(principal: Principal): Promise<{ revoked: number }> {
    const revoked = await withTransaction(this.dataSource, (manager) => this.endEveryLogin(manager, principal.memberId));
    await this.forgetLoginsOf(principal.memberId);
    return { revoked };
  }

  /** Ends every login of the member, the Mini Program's and the console's, in the caller's transaction. */
  async endEveryLogin(manager: EntityManager, memberId: number): Promise<number> {
    const deleted = await manager.delete(AuthToken, { memberId });
    return (deleted.affected ?? 0) + (await this.endOtherLogins(manager, memberId));
  }

  private async endOtherLogins(manager: EntityManager, memberId: number): Promise<number> {
    let ended = 0;
    for (const logins of this.otherLogins) ended += await logins.endAllOf(manager, memberId);
    return ended;
  }

  async getMember(memberId: number): Promise<MemberDto> {
    const member = await this.dataSource.manager.findOneBy(Member, { id: memberId });
    if (!member) throw notFound('Member');
    return toMemberDto(member, await this.grantedRolesOf(memberId));
  }

  /**
   * A member sets their own nickname (from WeChat's nickname input) and avatar (an image they
   * uploaded here). The nickname must not be reserved (another member's default name, a staff-like
   * name for a non-staff member) and must pass the content check; anything short of a pass is
   * refused, since a name cannot be held back for review the way a post can.
   */
  async updateProfile(principal: Principal, input: { nickname?: string; avatarUrl?: string | null }): Promise<MemberDto> {
    const memberId = principal.memberId;
    const member = await this.dataSource.manager.findOneByOrFail(Member, { id: memberId });
    const changes: Partial<Member> = {};
    if (input.nickname !== undefined && input.nickname !== member.nickname) {
      const staff = hasRole(principal.roles, 'teacher') || hasRole(principal.roles, 'operator');
      const problem = nicknameProblem(input.nickname, { memberId, staff });
      if (problem) throw validationFailed(`The nickname ${problem}.`, [{ path: 'body.nickname', message: problem }]);
      changes.nickname = input.nickname;
    }
    const newAvatar = input.avatarUrl !== undefined && input.avatarUrl !== member.avatarUrl ? { url: input.avatarUrl } : null;
    const currentAvatarKey = keyFromUploadUrl(member.avatarUrl);
    const avatarUploads = newAvatar
      ? await this.uploads.check(this.dataSource.manager, {
          ownerId: memberId, kind: 'image', urls: newAvatar.url === null ? [] : [newAvatar.url], field: 'body.avatarUrl', single: true,
          keep: currentAvatarKey ? [currentAvatarKey] : [],
        })
      : null;
    if (newAvatar) changes.avatarUrl = newAvatar.url;
    if (typeof changes.nickname === 'string') {
      const { verdict } = await this.contentCheck.checkText({ text: changes.nickname, openid: member.openid });
      if (verdict !== 'pass') throw contentRejected();
    }
    if (Object.keys(changes).length > 0) {
      await withTransaction(this.dataSource, async (manager) => {
        await manager.update(Member, { id: memberId }, changes);
        if (avatarUploads) await this.uploads.attach(manager, { type: 'avatar', id: memberId }, avatarUploads, { replace: true });
      });
    }
    return this.getMember(memberId);
  }

  /** Members for an operator's pickers: newest first, optionally by role or nickname / id. */
  async listMembers(filter: { role?: GrantableRole; query?: string; limit: number; before?: number }) {
    const query = this.dataSource.manager.createQueryBuilder(Member, 'm').orderBy('m.id', 'DESC').take(filter.limit + 1);
    if (filter.before) query.andWhere('m.id < :before', { before: filter.before });
    if (filter.role) {
      query.andWhere('EXISTS (SELECT 1 FROM member_role r WHERE r.member_id = m.id AND r.role = :role)', { role: filter.role });
    }
    if (filter.query) {
      const asId = /^\d{1,9}$/.test(filter.query) ? Number(filter.query) : -1;
      // '!' escapes LIKE wildcards the same way in SQLite and MySQL (a backslash would not).
      const like = `%${filter.query.replace(/[!%_]/g, '!$&')}%`;
      query.andWhere("(m.nickname LIKE :like ESCAPE '!' OR m.id = :asId)", { like, asId });
    }
    const members = await query.getMany();
    const page = members.slice(0, filter.limit);
    const roles = page.length ? await this.dataSource.manager.findBy(MemberRole, { memberId: In(page.map((m) => m.id)) }) : [];
    return {
      items: page.map((m) => toMemberDto(m, roles.filter((r) => r.memberId === m.id).map((r) => r.role))),
      nextCursor: members.length > filter.limit ? String(page[page.length - 1].id) : null,
    };
  }

  /**
   * Sets the roles an operator grants a member to exactly `roles` ("member" is implicit).
   * An operator cannot take the operator role from themself, so the last operator cannot lock
   * everyone out by accident.
   */
  async setRoles(operatorId: number, memberId: number, roles: GrantableRole[]): Promise<MemberDto> {
    const wanted = [...new Set(roles)];
    if (operatorId === memberId && !wanted.includes('operator')) {
      throw conflict('CANNOT_REMOVE_OWN_OPERATOR_ROLE', 'You cannot remove your own operator role; ask another operator.');
    }
    const member = await withTransaction(this.dataSource, async (manager) => {
      const found = await manager.findOneBy(Member, { id: memberId });
      if (!found) throw notFound('Member');
      const revoke = manager.createQueryBuilder().delete().from(MemberRole).where('member_id = :memberId', { memberId });
      if (wanted.length > 0) revoke.andWhere('role NOT IN (:...wanted)', { wanted });
      const revoked = await revoke.execute();
      // Powers are read at use, so the phone's logins may stay; the console's sessions exist only for
      // staff powers and end with any role taken away (re-granting a role must not revive them).
      if ((revoked.affected ?? 0) > 0) await this.endOtherLogins(manager, memberId);
      // A former teacher teaches no cohort: the assignments go with the role (an operator who
      // grants it again assigns the cohorts again), so no list shows a teacher who may not teach.
      if (!wanted.includes('teacher')) await manager.delete(CohortTeacher, { memberId });
      await this.grantRoles(manager, memberId, wanted, operatorId, this.clock.now());
      return found;
    });
    await this.forgetLoginsOf(memberId);
    return toMemberDto(member, await this.grantedRolesOf(member.id));
  }

  private async grantRoles(
    manager: EntityManager,
    memberId: number,
    roles: GrantableRole[],
    grantedBy: number | null,
    now: Date,
  ): Promise<void> {
    if (roles.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(MemberRole)
      .values(roles.map((role) => ({ memberId, role, grantedBy, grantedAt: now })))
      .orIgnore()
      .execute();
  }

  private async grantedRolesOf(memberId: number): Promise<string[]> {
    const rows = await this.dataSource.manager.findBy(MemberRole, { memberId });
    return rows.map((row) => row.role);
  }
}

const memberTag = (memberId: number) => `member:${memberId}`;
