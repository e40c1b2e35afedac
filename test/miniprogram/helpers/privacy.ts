/**
 * WeChat's privacy authorization, faithfully enough for the consent flow (base library 3.x):
 * - `wx.getPrivacySetting` answers `needAuthorization` (true until the user agreed) and the guide's name;
 * - `wx.openPrivacyContract` opens the guide;
 * - `wx.onNeedPrivacyAuthorization(listener)` registers the app's listener;
 * - a privacy API called without consent calls that listener with `resolve` and `{referrer}`, and goes on
 *   only when resolved with `{event: 'agree', buttonId}` after the user tapped a button with
 *   `open-type="agreePrivacyAuthorization"`; otherwise it fails with errno 104;
 * - tapping that button records the consent, then fires the button's `agreeprivacyauthorization` event.
 * A fresh install has not agreed; tests that are not about privacy start as a user who agreed long ago.
 */
type Resolve = (answer: { event: 'agree'; buttonId: string } | { event: 'disagree' }) => void;
type Listener = (resolve: Resolve, eventInfo: { referrer: string }) => void;

export const privacy = {
  agreed: true,
  contractName: '《打卡积分小程序隐私保护指引》',
  contractOpened: 0,
  listener: null as Listener | null,
  /** What each gated call was answered, in order. */
  answers: [] as Array<{ api: string; answer: 'agree' | 'disagree' | 'no-listener' }>,
};

export function installPrivacyFake(agreed = true): void {
  privacy.agreed = agreed;
  privacy.contractOpened = 0;
  privacy.answers = [];
  Object.assign(wx, {
    getPrivacySetting: jest.fn((options: { success?(res: unknown): void; complete?(): void }) => {
      options.success?.({ needAuthorization: !privacy.agreed, privacyContractName: privacy.contractName, errMsg: 'getPrivacySetting:ok' });
      options.complete?.();
    }),
    openPrivacyContract: jest.fn((options: { success?(): void } = {}) => {
      privacy.contractOpened++;
      options.success?.();
    }),
    // The listener lives as long as the app: WeChat keeps the one registered at launch.
    onNeedPrivacyAuthorization: jest.fn((listener: Listener) => {
      privacy.listener = listener;
    }),
  });
}

/** The user taps the sheet's agree button: WeChat records the consent, then tells the page. */
export function tapAgreeButton(button: { dispatchEvent(name: string, detail?: object): void }): void {
  privacy.agreed = true;
  button.dispatchEvent('agreeprivacyauthorization', { detail: {} });
}

/** A privacy API (`wx[name]`) as WeChat runs it: without consent it asks the app's listener first. */
export function privacyGated<O extends { fail?(error: { errMsg: string; errno?: number }): void }>(name: string, run: (options: O) => void) {
  return jest.fn((options: O) => {
    if (privacy.agreed) return run(options);
    const refuse = () => options.fail?.({ errMsg: `${name}:fail api scope is not declared in the privacy agreement`, errno: 104 });
    if (!privacy.listener) {
      privacy.answers.push({ api: name, answer: 'no-listener' });
      return refuse();
    }
    privacy.listener(
      (answer) => {
        privacy.answers.push({ api: name, answer: answer.event });
        if (answer.event === 'agree' && privacy.agreed && answer.buttonId) run(options);
        else refuse();
      },
      { referrer: name },
    );
  });
}
