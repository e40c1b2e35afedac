import { makeAutoObservable } from 'mobx-miniprogram';
import type { GroupProof } from '../services/api-types';

/** The server accepts a proof whose watermark is at most 24 h old; stop offering it a little earlier. */
export const PROOF_MAX_AGE_MS = 23 * 60 * 60 * 1000;

/**
 * Scenes in which WeChat opened the Mini Program from a card in a chat: 1008 (a group chat's card),
 * 1044 (a card with a shareTicket, older clients).
 */
export const GROUP_SCENES = [1008, 1044];

/**
 * The group proof held from the last time the Mini Program was opened from a group's card, with the
 * time it was obtained. The next check-in carries it for the group bonus.
 */
export class GroupProofStore {
  proof: GroupProof | null = null;
  obtainedAt = 0;
  /** Bumped by tick() so `held` re-evaluates against the clock. */
  now = Date.now();

  constructor() {
    makeAutoObservable(this);
  }

  get held(): boolean {
    return this.proof !== null && this.now - this.obtainedAt < PROOF_MAX_AGE_MS;
  }

  /** The proof to send, or undefined when none is held (or it is too old). */
  get current(): GroupProof | undefined {
    return this.held && this.proof ? { ...this.proof } : undefined;
  }

  hold(proof: GroupProof, at: number = Date.now()): void {
    this.proof = { encryptedData: proof.encryptedData, iv: proof.iv };
    this.obtainedAt = at;
    this.now = at;
  }

  tick(now: number = Date.now()): void {
    this.now = now;
  }

  /** After the server refused it (GROUP_PROOF_INVALID, GROUP_MISMATCH). */
  drop(): void {
    this.proof = null;
    this.obtainedAt = 0;
  }
}

export const groupProofStore = new GroupProofStore();

interface EnterOptions {
  scene?: number;
  shareTicket?: string;
}

function groupEnterInfo(): Promise<GroupProof | null> {
  return new Promise((resolve) => {
    if (typeof wx.getGroupEnterInfo !== 'function') {
      resolve(null);
      return;
    }
    wx.getGroupEnterInfo({
      success: (res) => resolve(res.encryptedData && res.iv ? { encryptedData: res.encryptedData, iv: res.iv } : null),
      fail: () => resolve(null),
    });
  });
}

function shareInfo(shareTicket: string): Promise<GroupProof | null> {
  return new Promise((resolve) => {
    wx.getShareInfo({
      shareTicket,
      success: (res) => resolve(res.encryptedData && res.iv ? { encryptedData: res.encryptedData, iv: res.iv } : null),
      fail: () => resolve(null),
    });
  });
}

/**
 * When the Mini Program was opened from a group's card (App onLaunch/onShow options, or the page's
 * wx.getEnterOptionsSync()), asks WeChat for the group proof and holds it. Resolves whether one is held.
 */
export async function captureGroupProof(options?: EnterOptions): Promise<boolean> {
  const enter: EnterOptions = options ?? (typeof wx.getEnterOptionsSync === 'function' ? wx.getEnterOptionsSync() : {});
  const fromGroupCard = enter.scene !== undefined && GROUP_SCENES.includes(Number(enter.scene));
  if (!fromGroupCard && !enter.shareTicket) return groupProofStore.held;

  const proof = (await groupEnterInfo()) ?? (enter.shareTicket ? await shareInfo(enter.shareTicket) : null);
  if (proof) groupProofStore.hold(proof);
  return groupProofStore.held;
}
