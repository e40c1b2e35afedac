import { randomBytes } from 'node:crypto';

/** Pure rules of the console's QR login (no framework imports). */

export const TICKET_TTL_MS = 2 * 60 * 1000;
/** An approved ticket can be collected this long after its approval, even past its expiry. */
export const COLLECT_WINDOW_MS = 60 * 1000;
export const CONSOLE_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** 128 random bits, URL-safe: 22 characters. */
export function newLoginTicket(): string {
  return randomBytes(16).toString('base64url');
}
export const loginTicketPattern = /^[A-Za-z0-9_-]{22}$/;

/**
 * Console tokens are 384 random bits (64 characters), phone tokens 256 (43 characters): the length
 * alone says which table to look a bearer token up in.
 */
export const CONSOLE_TOKEN_LENGTH = 64;
export function newConsoleToken(): string {
  return randomBytes(48).toString('base64url');
}

/** What the Mini Program's scanner reads from the QR code. */
export const QR_PREFIX = 'checkin-console-login:';
export const qrContentOf = (ticket: string) => `${QR_PREFIX}${ticket}`;

export type TicketState = 'pending' | 'approved' | 'expired';

export interface TicketTimes {
  expiresAt: Date;
  approvedAt: Date | null;
  collectedAt: Date | null;
}

/** Pending until approved or expired; an approval made in time stays collectable for a minute. */
export function ticketState(ticket: TicketTimes, now: Date): TicketState {
  if (ticket.approvedAt) {
    if (ticket.collectedAt) return 'approved';
    return now.getTime() < ticket.approvedAt.getTime() + COLLECT_WINDOW_MS ? 'approved' : 'expired';
  }
  return now < ticket.expiresAt ? 'pending' : 'expired';
}

/** A short description of a browser from its user agent, for the phone's confirm page. */
export function describeBrowser(userAgent: string): string {
  const browser =
    /Edg\//.test(userAgent) ? 'Edge'
      : /(Chrome|Chromium)\//.test(userAgent) ? 'Chrome'
        : /Firefox\//.test(userAgent) ? 'Firefox'
          : /Safari\//.test(userAgent) ? 'Safari'
            : 'Browser';
  const system =
    /Windows/.test(userAgent) ? 'Windows'
      : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS'
        : /Android/.test(userAgent) ? 'Android'
          : /iPhone|iPad/.test(userAgent) ? 'iOS'
            : /Linux/.test(userAgent) ? 'Linux'
              : '';
  return system ? `${browser} · ${system}` : browser;
}
