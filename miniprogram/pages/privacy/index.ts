import { api } from '../../services/api';
import type { DataExport } from '../../services/api-types';
import { memberStore } from '../../stores/member';
import { messageOf } from '../../utils/errors';
import { ensurePrivacyConsent, needsPrivacyConsent, openPrivacyContract, privacyContractName } from '../../utils/privacy';
import { toastError, toastText } from '../../utils/toast';

/** What the first confirmation says: what goes, what stays for the books. */
export const DELETE_WHAT = [
  '会删除：昵称和头像、打卡的文字、照片和录音、评论、收货地址和手机号、订阅提醒和消息，以及老师记录的跟进备注。',
  '会保留（不再和你关联）：积分记录、订单和兑换记录（记账需要），点赞和打卡次数等统计。',
  '还没发货的兑换会先取消，积分退回后再注销。',
].join('\n');

const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);

/** A line saying what the copy holds, so the member sees it is theirs and complete. */
export function exportSummaryOf(data: DataExport): string {
  const record = data as unknown as Record<string, unknown>;
  return `已准备好：${count(record.checkins)} 次打卡、${count(record.uploads)} 个照片和录音、${count(record.pointsLedger)} 条积分记录、${count(record.redemptions)} 次兑换`;
}

/**
 * Me → 隐私与数据: read the privacy guide (and agree later, after a refusal), download a copy of my
 * data, delete my account with two confirmations.
 */
Component({
  data: {
    consent: 'unknown' as 'unknown' | 'agreed' | 'needed',
    consentLabel: '',
    contractName: '《小程序用户隐私保护指引》',
    exporting: false,
    exportSummary: '',
    exportPath: '',
    step: 0,
    deleteWhat: DELETE_WHAT,
    deleting: false,
    deleted: false,
  },
  lifetimes: {
    attached() {
      void this.loadConsent();
    },
  },
  methods: {
    onShow() {
      void this.loadConsent();
    },
    async loadConsent() {
      const [needed, contractName] = await Promise.all([needsPrivacyConsent(), privacyContractName()]);
      this.setData({ consent: needed ? 'needed' : 'agreed', consentLabel: needed ? '未同意' : '已同意', contractName });
    },
    onOpenContract() {
      openPrivacyContract();
    },
    async onAgreeNow() {
      const agreed = await ensurePrivacyConsent('使用照片、录音、地址等功能');
      await this.loadConsent();
      if (agreed) toastText(this, '已同意，相关功能可以使用了');
    },
    async onExport() {
      if (this.data.exporting) return;
      this.setData({ exporting: true });
      try {
        const data = await api.dataExport();
        const day = data.exportedAt.slice(0, 10);
        const filePath = `${wx.env.USER_DATA_PATH}/my-data-${day}.json`;
        wx.getFileSystemManager().writeFileSync(filePath, JSON.stringify(data, null, 2), 'utf8');
        this.setData({ exportPath: filePath, exportSummary: exportSummaryOf(data) });
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ exporting: false });
      }
    },
    /** WeChat lets a file leave the Mini Program only by sending it to a chat (e.g. 文件传输助手). */
    onShareExport() {
      const path = this.data.exportPath;
      wx.shareFileMessage({
        filePath: path,
        fileName: path.slice(path.lastIndexOf('/') + 1),
        fail: (error: { errMsg?: string }) => {
          if (!/cancel/.test(error?.errMsg ?? '')) toastError(this, '没能发送文件，请稍后再试');
        },
      });
    },
    onDelete() {
      this.setData({ step: 1 });
    },
    onDeleteContinue() {
      this.setData({ step: 2 });
    },
    onDeleteCancel() {
      this.setData({ step: 0 });
    },
    async onDeleteConfirm() {
      this.setData({ step: 0, deleting: true });
      try {
        await api.deleteAccount();
        memberStore.logout();
        this.setData({ deleted: true });
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ deleting: false });
      }
    },
  },
});
