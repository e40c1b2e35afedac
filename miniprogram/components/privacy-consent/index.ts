import { AGREE_BUTTON_ID, mountConsentSheet, openPrivacyContract, privacyContractName } from '../../utils/privacy';

const unmounts = new WeakMap<object, () => void>();
const answers = new WeakMap<object, (agreed: boolean) => void>();

/**
 * The privacy consent sheet: what a feature needs, a link to the privacy guide, "不同意" and the
 * agree button (`open-type="agreePrivacyAuthorization"`: WeChat records the consent when it is
 * tapped). Put one on every page that reaches a privacy API; utils/privacy.ts shows it.
 */
Component({
  data: {
    show: false,
    purpose: '',
    contractName: '《小程序用户隐私保护指引》',
    agreeButtonId: AGREE_BUTTON_ID,
  },
  lifetimes: {
    attached() {
      unmounts.set(this, mountConsentSheet({ ask: (purpose) => this.ask(purpose) }));
    },
    detached() {
      unmounts.get(this)?.();
      this.answer(false);
    },
  },
  methods: {
    async ask(purpose: string): Promise<boolean> {
      this.answer(false); // a sheet already open for another call is refused first
      const contractName = await privacyContractName();
      return new Promise<boolean>((resolve) => {
        answers.set(this, resolve);
        this.setData({ show: true, purpose, contractName });
      });
    },
    answer(agreed: boolean) {
      const resolve = answers.get(this);
      answers.delete(this);
      if (this.data.show) this.setData({ show: false });
      resolve?.(agreed);
    },
    onOpenContract() {
      openPrivacyContract();
    },
    onAgree() {
      this.answer(true);
    },
    onRefuse() {
      this.answer(false);
    },
  },
});
