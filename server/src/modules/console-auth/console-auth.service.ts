import { LessThan, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { withTransaction } from '../../platform/db/transaction';
import type { Authenticator, Principal } from '../../platform/http/api-router';
import { AppError, conflict, forbidden, notFound } from '../../platform/http/errors';
import { keepNewestLogins, type IdentityService, type OtherLogins } from '../identity/identity.service';
import { MemberRole } from '../identity/member-role.entity';
import type { MemberDto } from '../identity/member.dto';
import { effectiveRoles, hasRole, type Role } from '../identity/roles';
import { hashBearerToken } from '../identity/tokens';
import { ConsoleLoginTicket, ConsoleSession } from './console-auth.entity';
import {
  CONSOLE_SESSION_TTL_MS, CONSOLE_TOKEN_LENGTH, TICKET_TTL_MS, describeBrowser, newConsoleToken, newLoginTicket,
  qrContentOf, ticketState, type TicketState,
} from './console-login-rules';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The browser asking: its address and user agent, as Koa saw them. */
export interface BrowserInfo {
  ip: string;
  userAgent: string;
}

export interface ConsoleLogin {
  token: string;
  expiresAt: string;
  /** The same deadline relative to now, for clients whose clock differs from the server's. */
  expiresInSeconds: number;
  member: MemberDto;
}

const isStaff = (roles: readonly Role[]) => hasRole(roles, 'teacher') || hasRole(roles, 'operator');
const notStaff = () => forbidden('The console is for teachers and operators; ask an operator to grant you a role.');
const ticketNotFound = () => notFound('This login QR code');

/**
 * Console login: QR tickets approved from the Mini Program, console sessions of 12 hours (a member
 * keeps the newest 10, like phone logins), and (fake WeChat mode only) a development login by openid.
 */
export class ConsoleAuthService implements Authenticator, OtherLogins {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly identity: IdentityService,
  ) {}

  /** A new ticket for the browser's QR code; tickets gone a day are purged with their browser data. */
  async openTicket(browser: BrowserInfo) {
    const ticket = newLoginTicket();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + TICKET_TTL_MS);
    await withTransaction(this.dataSource, async (manager) => {
      await manager.delete(ConsoleLoginTicket, { expiresAt: LessThan(new Date(now.getTime() - DAY_MS)) });
      await manager.insert(ConsoleLoginTicket, {
        ticketHash: hashBearerToken(ticket), createdAt: now, expiresAt, ...browserColumns(browser),
        approvedBy: null, approvedAt: null, collectedAt: null,
      });
    });
    return { ticket, qrContent: qrContentOf(ticket), expiresAt: expiresAt.toISOString(), expiresInSeconds: TICKET_TTL_MS / 1000 };
  }

  /** What the phone shows before approving: which browser, from where, when. */
  async describeTicket(ticket: string) {
    const row = await this.findTicket(ticket);
    return {
      state: ticketState(row, this.clock.now()),
      browser: describeBrowser(row.browserAgent),
      ip: row.browserIp,
      requestedAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
    };
  }

  /**
   * A teacher or operator approves a ticket from the Mini Program, once, before it expires. A
   * console session cannot approve (it would extend itself without a phone).
   */
  async approve(principal: Principal, ticket: string): Promise<void> {
    if (!isStaff(principal.roles)) throw notStaff();
    if (await this.dataSource.manager.existsBy(ConsoleSession, { tokenHash: principal.tokenHash })) {
      throw forbidden('Approve a console login from the Mini Program, not from the console.');
    }
    const now = this.clock.now();
    const result = await withTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(ConsoleLoginTicket)
        .set({ approvedBy: principal.memberId, approvedAt: now })
        .where('ticket_hash = :hash AND approved_at IS NULL AND expires_at > :now', { hash: hashBearerToken(ticket), now })
        .execute(),
    );
    if (result.affected === 1) return;
    const row = await this.findTicket(ticket);
    if (row.approvedAt) throw conflict('LOGIN_TICKET_ALREADY_APPROVED', 'This login QR code was already approved; refresh the code in the browser.');
    throw new AppError(410, 'LOGIN_TICKET_EXPIRED', 'This login QR code has expired; refresh it in the browser and scan again.');
  }

  /** The browser polls its ticket; the first poll after approval gets the token, later ones never. */
  async collect(ticket: string): Promise<{ state: TicketState; expiresAt: string; login?: ConsoleLogin }> {
    const row = await this.findTicket(ticket);
    const now = this.clock.now();
    const state = ticketState(row, now);
    const answer = { state, expiresAt: row.expiresAt.toISOString() };
    if (state !== 'approved' || row.collectedAt || row.approvedBy === null) return answer;
    const approverId = row.approvedBy;
    const token = await withTransaction(this.dataSource, async (manager) => {
      const claimed = await manager
        .createQueryBuilder()
        .update(ConsoleLoginTicket)
        .set({ collectedAt: now })
        .where('id = :id AND collected_at IS NULL', { id: row.id })
        .execute();
      if (claimed.affected !== 1) return null;
      return this.insertSession(manager, approverId, 'qr', { ip: row.browserIp, userAgent: row.browserAgent }, now);
    });
    if (!token) return answer;
    return { ...answer, login: await this.loginOf(token, approverId, now) };
  }

  /**
   * Fake WeChat mode only (the route exists only then): log in to the console as an openid, through
   * the same fake WeChat login the Mini Program uses, so OPERATOR_OPENIDS applies. The phone token
   * that login made is revoked at once.
   */
  async devLogin(openid: string, browser: BrowserInfo): Promise<ConsoleLogin> {
    const phone = await this.identity.login(`fake:${openid}`);
    await this.identity.logout({ memberId: phone.member.id, roles: phone.member.roles, tokenHash: hashBearerToken(phone.token) });
    if (!isStaff(phone.member.roles)) throw notStaff();
    const now = this.clock.now();
    const token = await withTransaction(this.dataSource, (manager) => this.insertSession(manager, phone.member.id, 'dev', browser, now));
    return this.loginOf(token, phone.member.id, now);
  }

  /** Console tokens only; a member who lost every staff role is no longer let in. */
  async authenticate(bearerToken: string): Promise<Principal | null> {
    const tokenHash = hashBearerToken(bearerToken);
    const rows: Array<{ memberId: number; role: string | null }> = await this.dataSource
      .createQueryBuilder()
      .select('s.member_id', 'memberId')
      .addSelect('r.role', 'role')
      .from(ConsoleSession, 's')
      .leftJoin(MemberRole, 'r', 'r.member_id = s.member_id')
      .where('s.token_hash = :tokenHash AND s.expires_at > :now', { tokenHash, now: this.clock.now() })
      .getRawMany();
    if (rows.length === 0) return null;
    const roles = effectiveRoles(rows.flatMap((row) => (row.role ? [row.role] : [])));
    if (!isStaff(roles)) return null;
    return { memberId: Number(rows[0].memberId), roles, tokenHash };
  }

  async logout(principal: Principal): Promise<void> {
    await withTransaction(this.dataSource, (manager) => manager.delete(ConsoleSession, { tokenHash: principal.tokenHash }));
  }

  /** Identity ends a member's console sessions on "log out everywhere" and when a role is taken away. */
  async endAllOf(manager: EntityManager, memberId: number): Promise<number> {
    return (await manager.delete(ConsoleSession, { memberId })).affected ?? 0;
  }

  /** My console sessions that have not expired, newest first (the current one marked). */
  async sessions(principal: Principal) {
    const rows = await this.dataSource.manager.find(ConsoleSession, {
      where: { memberId: principal.memberId },
      order: { id: 'DESC' },
      take: 50,
    });
    const now = this.clock.now();
    return {
      items: rows
        .filter((row) => row.expiresAt > now)
        .map((row) => ({
          id: row.id,
          via: row.via,
          browser: describeBrowser(row.browserAgent),
          ip: row.browserIp,
          createdAt: row.createdAt.toISOString(),
          expiresAt: row.expiresAt.toISOString(),
          current: row.tokenHash === principal.tokenHash,
        })),
    };
  }

  /** Ends one of my console sessions (e.g. one left open on another computer). */
  async revoke(principal: Principal, sessionId: number): Promise<void> {
    const deleted = await withTransaction(this.dataSource, (manager) => manager.delete(ConsoleSession, { id: sessionId, memberId: principal.memberId }));
    if (!deleted.affected) throw notFound('Console session');
  }

  private async insertSession(manager: EntityManager, memberId: number, via: 'qr' | 'dev', browser: BrowserInfo, now: Date) {
    const token = newConsoleToken();
    await manager.delete(ConsoleSession, { memberId, expiresAt: LessThan(now) });
    await manager.insert(ConsoleSession, {
      tokenHash: hashBearerToken(token), memberId, via, ...browserColumns(browser),
      createdAt: now, expiresAt: new Date(now.getTime() + CONSOLE_SESSION_TTL_MS),
    });
    await keepNewestLogins(manager, ConsoleSession, memberId);
    return token;
  }

  private async loginOf(token: string, memberId: number, now: Date): Promise<ConsoleLogin> {
    return {
      token,
      expiresAt: new Date(now.getTime() + CONSOLE_SESSION_TTL_MS).toISOString(),
      expiresInSeconds: CONSOLE_SESSION_TTL_MS / 1000,
      member: await this.identity.getMember(memberId),
    };
  }

  private async findTicket(ticket: string): Promise<ConsoleLoginTicket> {
    const row = await this.dataSource.manager.findOneBy(ConsoleLoginTicket, { ticketHash: hashBearerToken(ticket) });
    if (!row) throw ticketNotFound();
    return row;
  }
}

function browserColumns(browser: BrowserInfo) {
  return { browserIp: browser.ip.slice(0, 64), browserAgent: browser.userAgent.slice(0, 256) };
}

/**
 * The API's authenticator: console tokens (64 characters) are looked up among console sessions,
 * every other token among the Mini Program's logins.
 */
export function consoleAwareAuthenticator(members: Authenticator, console: Authenticator): Authenticator {
  return {
    authenticate: (token) => (token.length === CONSOLE_TOKEN_LENGTH ? console.authenticate(token) : members.authenticate(token)),
  };
}
