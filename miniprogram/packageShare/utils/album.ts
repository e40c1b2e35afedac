/**
 * Saving an image to the phone's album with WeChat's permission flow: ask (wx.authorize) the first
 * time; when it was refused, say why it is needed and offer the settings page (wx.openSetting), then
 * save if it was turned on there.
 */

export const ALBUM_SCOPE = 'scope.writePhotosAlbum';

export type SaveOutcome = 'saved' | 'denied' | 'cancelled' | 'failed';

/** What the explanation says before sending the member to the settings page. */
export const ALBUM_EXPLANATION = {
  title: '需要保存到相册的权限',
  content: '保存图片需要你允许「保存到相册」。点「去设置」打开后，图片会自动保存。',
  confirmText: '去设置',
  cancelText: '不用了',
};

function albumSetting(): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    wx.getSetting({
      success: (res) => resolve(res.authSetting[ALBUM_SCOPE as keyof WechatMiniprogram.AuthSetting] as boolean | undefined),
      fail: () => resolve(undefined),
    });
  });
}

function authorize(): Promise<boolean> {
  return new Promise((resolve) => {
    wx.authorize({ scope: ALBUM_SCOPE, success: () => resolve(true), fail: () => resolve(false) });
  });
}

/** Explains, and on "去设置" opens the settings page; resolves whether the album is allowed afterwards. */
function explainAndOpenSettings(): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      ...ALBUM_EXPLANATION,
      success: (res) => {
        if (!res.confirm) {
          resolve(false);
          return;
        }
        wx.openSetting({
          success: (settings) => resolve(settings.authSetting[ALBUM_SCOPE as keyof WechatMiniprogram.AuthSetting] === true),
          fail: () => resolve(false),
        });
      },
      fail: () => resolve(false),
    });
  });
}

function save(filePath: string): Promise<SaveOutcome> {
  return new Promise((resolve) => {
    wx.saveImageToPhotosAlbum({
      filePath,
      success: () => resolve('saved'),
      fail: (error) => {
        const message = String(error?.errMsg ?? '');
        resolve(/auth|authorize|permission/i.test(message) ? 'denied' : /cancel/i.test(message) ? 'cancelled' : 'failed');
      },
    });
  });
}

/** Saves the image, asking for (or explaining) the album permission as needed. */
export async function saveToAlbum(filePath: string): Promise<SaveOutcome> {
  let allowed = await albumSetting();
  if (allowed === undefined) allowed = await authorize();
  if (!allowed && !(await explainAndOpenSettings())) return 'denied';
  const outcome = await save(filePath);
  // Turned off in the settings since (or refused by the system): explain once more.
  if (outcome === 'denied') return (await explainAndOpenSettings()) ? save(filePath) : 'denied';
  return outcome;
}

/** What the page says after a save. */
export const SAVE_MESSAGES: Record<SaveOutcome, string> = {
  saved: '已保存到相册',
  denied: '没有相册权限，图片未保存',
  cancelled: '已取消保存',
  failed: '保存失败，请稍后重试',
};
