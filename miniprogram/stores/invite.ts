import { makeAutoObservable, runInAction } from 'mobx-miniprogram';
import { api } from '../services/api';
import type { OpenSource, Person, ReferralResult } from '../services/api-types';
import { GROUP_SCENES } from './group-proof';

/** An invite the Mini Program was opened with: a scanned code's scene, or a share card's path. */
export interface LaunchInvite {
  code: string;
  /** Known from a card's path; a scanned code carries only the code (the server knows the cohort). */
  cohortId: number | null;
  source: OpenSource;
}

/** Scenes of a Mini Program code: scanned (1047), long-pressed in a chat or picture (1048), picked from the album (1049). */
export const CODE_SCENES = [1047, 1048, 1049];
/** Moments: the single-page view (1154) and the Mini Program opened from it (1155). */
export const TIMELINE_SCENES = [1154, 1155];
/** Moments' single-page view: no login there, the page shows a preview until "前往小程序". */
export const SINGLE_PAGE_SCENE = 1154;

/** The server's share codes: 8 letters and digits that cannot be mistaken for one another. */
const CODE_PATTERN = /^[2-9A-HJ-NP-Za-km-z]{8}$/;

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The invite in how the Mini Program was opened: `scene=i%3D<code>` from a Mini Program code (WeChat
 * hands the scene URI-encoded), or `id=<cohort>&inv=<code>` from a card or a Moments post. Null when
 * there is none.
 */
export function parseLaunchInvite(options: { scene?: number; query?: Record<string, string | undefined> }): LaunchInvite | null {
  const query = options.query ?? {};
  const scene = Number(options.scene);
  if (query.scene) {
    const code = /^i=(.+)$/.exec(decode(query.scene))?.[1];
    return code && CODE_PATTERN.test(code) ? { code, cohortId: null, source: 'poster' } : null;
  }
  if (!query.inv || !CODE_PATTERN.test(query.inv)) return null;
  const id = Number(query.id);
  const source: OpenSource = TIMELINE_SCENES.includes(scene)
    ? 'timeline'
    : GROUP_SCENES.includes(scene)
      ? 'group'
      : CODE_SCENES.includes(scene)
        ? 'poster'
        : 'card';
  return { code: query.inv, cohortId: Number.isInteger(id) && id > 0 ? id : null, source };
}

/** An open of the same invite within this long is the same open (App onLaunch and onShow both see it). */
const SAME_OPEN_MS = 5000;

/** The invite I arrived with (for "x 邀请你一起打卡"), and my own codes for sharing cohorts. */
export class InviteStore {
  /** Who invited me into which cohort, from the last invite I opened. */
  arrival: { cohortId: number; inviter: Person; attributed: boolean } | null = null;
  /** My share-card code per cohort, once fetched. */
  codes: Record<number, string> = {};

  private lastOpen: { key: string; at: number; result: Promise<ReferralResult | null> } | null = null;

  constructor() {
    makeAutoObservable<InviteStore, 'lastOpen'>(this, { lastOpen: false });
  }

  /**
   * Records the open (the API waits for the launch login, so a newcomer is attributed) and remembers who
   * invited me. Resolves the server's answer, or null when the invite is unknown or the network failed.
   */
  open(invite: LaunchInvite, now: number = Date.now()): Promise<ReferralResult | null> {
    const key = `${invite.code}:${invite.source}`;
    if (this.lastOpen && this.lastOpen.key === key && now - this.lastOpen.at < SAME_OPEN_MS) return this.lastOpen.result;
    const result = this.record(invite);
    this.lastOpen = { key, at: now, result };
    return result;
  }

  private async record(invite: LaunchInvite): Promise<ReferralResult | null> {
    try {
      const body = { inviteCode: invite.code, source: invite.source, ...(invite.cohortId ? { cohortId: invite.cohortId } : {}) };
      const result = await api.recordOpen(body);
      if (result.reason !== 'self') {
        runInAction(() => {
          this.arrival = { cohortId: result.cohortId, inviter: result.inviter, attributed: result.attributed };
        });
      }
      return result;
    } catch {
      // An invite that no longer exists (or no network) still opens the Mini Program; nothing to say.
      return null;
    }
  }

  /** Fetches my share-card code for a cohort once, so its cards carry the invite. */
  async ensureCode(cohortId: number): Promise<void> {
    if (!cohortId || this.codes[cohortId]) return;
    try {
      const { code } = await api.inviteCode(cohortId, 'card');
      runInAction(() => {
        this.codes = { ...this.codes, [cohortId]: code };
      });
    } catch {
      // Cards then go out without the invite; sharing still works.
    }
  }

  /** The cohort page with my invite (when known) and any extra parameters, for a share card. */
  sharePath(cohortId: number, extra: Record<string, string | number> = {}): string {
    return `/pages/cohort/index?${this.shareQuery(cohortId, extra)}`;
  }

  /** The same as a query string, for onShareTimeline. */
  shareQuery(cohortId: number, extra: Record<string, string | number> = {}): string {
    const params: Record<string, string | number> = { id: cohortId };
    if (this.codes[cohortId]) params.inv = this.codes[cohortId];
    Object.assign(params, extra);
    return Object.keys(params)
      .map((key) => `${key}=${encodeURIComponent(String(params[key]))}`)
      .join('&');
  }

  forget(): void {
    this.arrival = null;
    this.codes = {};
    this.lastOpen = null;
  }
}

export const inviteStore = new InviteStore();

/** App onLaunch/onShow: an invite in how the Mini Program was opened is recorded (once per open). */
export function recordLaunchInvite(options?: { scene?: number; query?: Record<string, string | undefined> }): Promise<ReferralResult | null> {
  const invite = options ? parseLaunchInvite(options) : null;
  return invite ? inviteStore.open(invite) : Promise.resolve(null);
}
