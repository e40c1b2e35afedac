import { api } from '../../../services/api';
import { ApiError } from '../../../services/http';
import { memberStore } from '../../../stores/member';
import { messageOf } from '../../../utils/errors';
import { roleTags } from '../../../utils/roles';
import { toastError } from '../../../utils/toast';

type State = 'loading' | 'pending' | 'approved' | 'failed';

const EXPIRED = '二维码已过期，请在电脑上刷新二维码后重新扫码';
const USED = '这个二维码已经确认过了；如需再次登录，请在电脑上刷新二维码';

/** "2026-03-04 10:30" in Beijing time, as the console shows times. */
function beijingTime(iso: string): string {
  const local = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/**
 * After scanning the console's QR code (Me → 扫码登录控制台): which browser asks, from where and when;
 * a teacher or operator confirms once (POST /console/login-tickets/:ticket/approve).
 */
Component({
  data: {
    state: 'loading' as State,
    ticket: '',
    request: { browser: '', ip: '', requestedAt: '' },
    roleText: '',
    failure: '',
    approving: false,
  },
  methods: {
    async onLoad(query: { ticket?: string }) {
      const ticket = query.ticket ?? '';
      const roles = roleTags(memberStore.member?.roles ?? []).map((tag) => tag.label).filter((label) => label !== '会员');
      this.setData({ ticket, roleText: roles.join('、') || '会员' });
      try {
        const request = await api.consoleLoginRequest(ticket);
        if (request.state !== 'pending') {
          this.setData({ state: 'failed', failure: request.state === 'expired' ? EXPIRED : USED });
          return;
        }
        this.setData({
          state: 'pending',
          request: { browser: request.browser, ip: request.ip, requestedAt: beijingTime(request.requestedAt) },
        });
      } catch (error) {
        this.setData({ state: 'failed', failure: messageOf(error) });
      }
    },
    async onApprove() {
      if (this.data.approving) return;
      this.setData({ approving: true });
      try {
        await api.approveConsoleLogin(this.data.ticket);
        this.setData({ state: 'approved' });
      } catch (error) {
        if (error instanceof ApiError && (error.code === 'LOGIN_TICKET_EXPIRED' || error.code === 'LOGIN_TICKET_ALREADY_APPROVED')) {
          this.setData({ state: 'failed', failure: error.code === 'LOGIN_TICKET_EXPIRED' ? EXPIRED : USED });
        } else {
          toastError(this, messageOf(error));
        }
      } finally {
        this.setData({ approving: false });
      }
    },
    onCancel() {
      void wx.navigateBack();
    },
  },
});
