/**
 * WeChat's user-privacy protection (in force since 2023-09-15): every API that reaches personal
 * information works only once the user has agreed to the Mini Program's 《用户隐私保护指引》. The
 * consent sheet (components/privacy-consent) is placed on each page that reaches such an API and
 * registers itself here; it is shown
 * - before a feature asks for its API (`ensurePrivacyConsent`), so a refusal can be explained and
 *   the feature can go on without it (a check-in with text only), and
 * - when WeChat itself finds a call without consent (`wx.onNeedPrivacyAuthorization`, e.g. the
 *   avatar button): the sheet's answer lets WeChat go on with the call, or not.
 */

type PrivacyResolve = (answer: { event: 'agree'; buttonId: string } | { event: 'disagree' }) => void;

/** The privacy APIs as WeChat documents them (the typings give the listener the wrong arguments). */
interface PrivacyWx {
  getPrivacySetting?(options: { success(res: { needAuthorization: boolean; privacyContractName: string }): void; fail?(): void }): void;
  openPrivacyContract?(options: { success?(): void; fail?(): void }): void;
  onNeedPrivacyAuthorization?(listener: (resolve: PrivacyResolve, eventInfo?: { referrer?: string }) => void): void;
}
const privacyWx = wx as unknown as PrivacyWx;

/** The id of the sheet's agree button (`open-type="agreePrivacyAuthorization"`), which WeChat wants back. */
export const AGREE_BUTTON_ID = 'agree-privacy';

export interface ConsentSheet {
  /** Shows the sheet for `purpose`; true once the user agreed (with the agree button), false on refusal. */
  ask(purpose: string): Promise<boolean>;
}

const sheets: ConsentSheet[] = [];

/** The sheet of the page on top registers last; a page's sheet leaves with the page. */
export function mountConsentSheet(sheet: ConsentSheet): () => void {
  sheets.push(sheet);
  return () => {
    const index = sheets.lastIndexOf(sheet);
    if (index !== -1) sheets.splice(index, 1);
  };
}

const currentSheet = (): ConsentSheet | undefined => sheets[sheets.length - 1];

/** True when the user has not agreed to the privacy guide yet (false on base libraries before 2.32.3, which have no such rule). */
export function needsPrivacyConsent(): Promise<boolean> {
  if (typeof privacyWx.getPrivacySetting !== 'function') return Promise.resolve(false);
  return new Promise((resolve) => {
    privacyWx.getPrivacySetting!({
      success: (res) => resolve(res.needAuthorization),
      fail: () => resolve(false),
    });
  });
}

/** The guide's name as set in the Mini Program admin (e.g. 《打卡积分小程序隐私保护指引》). */
export function privacyContractName(): Promise<string> {
  const fallback = '《小程序用户隐私保护指引》';
  if (typeof privacyWx.getPrivacySetting !== 'function') return Promise.resolve(fallback);
  return new Promise((resolve) => {
    privacyWx.getPrivacySetting!({
      success: (res) => resolve(res.privacyContractName || fallback),
      fail: () => resolve(fallback),
    });
  });
}

/** Opens the guide itself (WeChat's page showing what the operator declared). */
export function openPrivacyContract(): void {
  privacyWx.openPrivacyContract?.({});
}

/**
 * Before a feature uses a privacy API: true when the user has agreed (now or before). False when
 * they refuse, or when the page has no sheet to ask with: the caller explains and carries on without.
 */
export async function ensurePrivacyConsent(purpose: string): Promise<boolean> {
  if (!(await needsPrivacyConsent())) return true;
  const sheet = currentSheet();
  return sheet ? sheet.ask(purpose) : false;
}

/** What WeChat reports as the reason it needs consent, in words for the sheet. */
const purposeByApi: Record<string, string> = {
  chooseMedia: '选择照片或拍照',
  chooseAvatar: '选择头像',
  getRecorderManager: '录音',
  startRecord: '录音',
  chooseAddress: '选择收货地址',
  saveImageToPhotosAlbum: '保存图片到相册',
  scanCode: '扫码',
  setClipboardData: '复制到剪贴板',
};

let listening = false;

/** Called once at launch: answers WeChat's own request for consent with the sheet of the page on top. */
export function listenForPrivacyAuthorization(): void {
  if (listening || typeof privacyWx.onNeedPrivacyAuthorization !== 'function') return;
  listening = true;
  privacyWx.onNeedPrivacyAuthorization((resolve, eventInfo) => {
    const sheet = currentSheet();
    if (!sheet) {
      resolve({ event: 'disagree' });
      return;
    }
    const api = (eventInfo?.referrer ?? '').replace(/^wx\./, '');
    void sheet.ask(purposeByApi[api] ?? '这项功能').then((agreed) =>
      resolve(agreed ? { buttonId: AGREE_BUTTON_ID, event: 'agree' } : { event: 'disagree' }),
    );
  });
}
