import { randomInt } from 'node:crypto';

/** Pure invitation rules (DESIGN §4 "Invitations"). No framework imports. */

/** What a member shares: a poster (or daily card, or certificate) with the code, a chat card, Moments. */
export const shareSources = ['poster', 'card', 'timeline'] as const;
export type ShareSource = (typeof shareSources)[number];

/**
 * How a share was opened: a scanned code (`poster`), a card in a one-to-one chat (`card`), Moments
 * (`timeline`), or a card inside a group chat (`group`: how people who came in through a group's
 * QR reach the Mini Program; the group QR itself opens the chat, not the Mini Program).
 */
export const openSources = ['poster', 'card', 'timeline', 'group'] as const;
export type OpenSource = (typeof openSources)[number];

/** The page a code opens and share cards link to. */
export const INVITE_PAGE = 'pages/cohort/index';

/** Letters and digits that cannot be mistaken for one another (no 0/O, 1/l/I). */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz';
export const CODE_LENGTH = 8;
export const codePattern = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/** A fresh share code: 8 characters, about 47 bits. */
export function newShareCode(random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[random(CODE_ALPHABET.length)];
  return code;
}

/** A code's scene: `i=<code>`, 10 characters (WeChat allows 32). */
export const sceneOf = (code: string): string => `i=${code}`;

/** The share code in a scene, or null when the scene holds none. */
export function codeFromScene(scene: string): string | null {
  const match = /^i=(.+)$/.exec(scene);
  return match && codePattern.test(match[1]) ? match[1] : null;
}

/** Where a share card or Moments post leads: the cohort page with the invite. */
export const sharePathOf = (cohortId: number, code: string): string => `${INVITE_PAGE}?id=${cohortId}&inv=${code}`;

export type AttributionRefusal = 'self' | 'already_enrolled' | 'already_attributed' | 'cohort_closed' | 'not_logged_in';

export interface AttributionFacts {
  openerId: number | null;
  inviterId: number;
  /** The opener has (or had) an enrollment in any cohort. */
  openerEverEnrolled: boolean;
  /** The opener is already attributed to someone (any cohort). */
  openerAttributed: boolean;
  /** The invited cohort still takes members. */
  cohortOpen: boolean;
}

/**
 * Whether an open makes the opener the inviter's invitee, or why not. Only newcomers count: a
 * member who had ever enrolled anywhere, or was already attributed, earns the inviter nothing.
 */
export function attributionOf(facts: AttributionFacts): { attribute: true } | { attribute: false; reason: AttributionRefusal } {
  if (facts.openerId === null) return { attribute: false, reason: 'not_logged_in' };
  if (facts.openerId === facts.inviterId) return { attribute: false, reason: 'self' };
  if (facts.openerAttributed) return { attribute: false, reason: 'already_attributed' };
  if (facts.openerEverEnrolled) return { attribute: false, reason: 'already_enrolled' };
  if (!facts.cohortOpen) return { attribute: false, reason: 'cohort_closed' };
  return { attribute: true };
}

/** The ledger line's idempotency key: one reward per invitee, whatever races or retries occur. */
export const inviteRewardKey = (inviteeId: number): string => `invite:${inviteeId}`;
