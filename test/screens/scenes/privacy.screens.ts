import { ok } from '../../miniprogram/helpers/fake-server';
import { tap } from '../../miniprogram/helpers/render';
import { screens } from '../support/scene';

/** WeChat's answer for a member who has not agreed to the privacy guide yet. */
const notAgreed = {
  getPrivacySetting: (options: { success: (res: unknown) => void }) =>
    options.success({ needAuthorization: true, privacyContractName: '《打卡积分小程序隐私保护指引》', errMsg: 'getPrivacySetting:ok' }),
};
const agreed = {
  getPrivacySetting: (options: { success: (res: unknown) => void }) =>
    options.success({ needAuthorization: false, privacyContractName: '《打卡积分小程序隐私保护指引》', errMsg: 'getPrivacySetting:ok' }),
};
const files = { env: { USER_DATA_PATH: 'wxfile://usr' }, getFileSystemManager: () => ({ writeFileSync: () => undefined }) };
const copy = {
  exportedAt: '2026-11-20T01:41:00.000Z', memberId: 7,
  checkins: Array.from({ length: 38 }, (_, i) => ({ id: i + 1 })), uploads: Array.from({ length: 112 }, (_, i) => ({ id: i + 1 })),
  pointsLedger: Array.from({ length: 61 }, (_, i) => ({ id: i + 1 })), redemptions: [{ id: 1 }, { id: 2 }],
};

screens({
  name: 'privacy',
  page: 'pages/privacy/index',
  title: '隐私与数据',
  role: 'member',
  states: [
    { name: 'agreed', caption: '已同意隐私保护指引：阅读指引、下载我的数据、注销账号', wx: agreed },
    { name: 'not-agreed', caption: '还没同意（或曾拒绝）：说明哪些功能用不了，可以查看并同意', wx: notAgreed },
    { name: 'consent', caption: '在这里同意：弹出同一个隐私保护提示', wx: notAgreed, act: (page) => tap(page, '.agree-now') },
    { name: 'export-ready', caption: '我的数据已准备好：有多少条，可以发送到微信聊天（如文件传输助手）', wx: { ...agreed, ...files },
      server: { 'GET /me/data-export': () => ok(copy) }, act: (page) => tap(page, '.export-data') },
    { name: 'delete-step1', caption: '注销第一步：会删除什么、会保留什么（记账需要）', wx: agreed, act: (page) => tap(page, '.delete-account') },
    { name: 'delete-step2', caption: '注销第二步：最后确认，立即生效无法恢复', wx: agreed,
      act: async (page) => {
        tap(page, '.delete-account');
        await new Promise((resolve) => setTimeout(resolve, 50));
        (page.instance as unknown as { onDeleteContinue(): void }).onDeleteContinue();
      } },
    { name: 'deleted', caption: '账号已注销', wx: agreed,
      server: { 'DELETE /me': () => ok({ deleted: true, deletedAt: '2026-11-20T01:41:00.000Z', redemptionsCancelled: 0, filesDeleted: 112 }) },
      act: (page) => (page.instance as unknown as { onDeleteConfirm(): Promise<void> }).onDeleteConfirm() },
  ],
});
