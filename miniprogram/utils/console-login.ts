/**
 * The web console's login QR code (pure rules). The console shows `checkin-console-login:<ticket>`;
 * the ticket is 128 random bits, URL-safe base64 (22 characters). See POST /console/login-tickets.
 */
const CONSOLE_QR = /^checkin-console-login:([A-Za-z0-9_-]{22})$/;

/** The ticket in a scanned code, or null when the code is not a console login. */
export function consoleTicketOf(scanned: string): string | null {
  return CONSOLE_QR.exec(scanned.trim())?.[1] ?? null;
}
