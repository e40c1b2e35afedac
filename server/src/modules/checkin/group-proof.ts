import { AppError } from '../../platform/http/errors';
import { decryptWeChatData } from '../../platform/wechat/wechat-crypto';

export interface GroupProof {
  encryptedData: string;
  iv: string;
}

export const groupProofInvalid = (why: string) =>
  new AppError(400, 'GROUP_PROOF_INVALID', `The group proof could not be verified (${why}). Open the cohort from the group's card again, or check in without it for the base points.`);

export const groupMismatch = (why: string) =>
  new AppError(400, 'GROUP_MISMATCH', `${why} Check in without the proof for the base points.`);

interface GroupPayload {
  opengid?: unknown;
  openGId?: unknown;
  watermark?: { appid?: unknown; timestamp?: unknown };
}

export interface GroupProofCheck {
  proof: GroupProof;
  sessionKey: string | null;
  appId: string;
  now: Date;
  maxAgeSeconds: number;
}

/** Allowed difference between WeChat's clock and ours for a watermark "from the future". */
const CLOCK_SKEW_SECONDS = 300;

/**
 * Decrypts a proof from wx.getGroupEnterInfo (`opengid`) or wx.getShareInfo (`openGId`) with the
 * member's own session_key and checks its watermark. Returns the group's opengid.
 */
export function openGroupProof(check: GroupProofCheck): string {
  if (!check.sessionKey) throw groupProofInvalid('no WeChat session for this member; log in again');
  const payload = decryptWeChatData(check.proof.encryptedData, check.proof.iv, check.sessionKey) as GroupPayload | null;
  if (!payload || typeof payload !== 'object') throw groupProofInvalid('it does not decrypt with your session');
  if (payload.watermark?.appid !== check.appId) throw groupProofInvalid('it was issued to another Mini Program');
  const issuedAt = payload.watermark?.timestamp;
  if (typeof issuedAt !== 'number') throw groupProofInvalid('it has no timestamp');
  const ageSeconds = check.now.getTime() / 1000 - issuedAt;
  if (ageSeconds > check.maxAgeSeconds) throw groupProofInvalid('it is too old');
  if (ageSeconds < -CLOCK_SKEW_SECONDS) throw groupProofInvalid('its timestamp is in the future');
  const opengid = payload.opengid ?? payload.openGId;
  if (typeof opengid !== 'string' || opengid.length === 0) throw groupProofInvalid('it names no group');
  return opengid;
}
