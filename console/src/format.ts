import type { FollowUpState } from './api/types';

/** Labels and formats shared by the pages (Chinese, Beijing time as the business works in). */
export const cohortStatusLabels = { recruiting: '招募中', running: '进行中', converting: '转化期', disbanded: '已解散' } as const;
export const cohortStatusTypes = { recruiting: 'info', running: 'success', converting: 'warning', disbanded: 'info' } as const;

export const followUpLabels: Record<FollowUpState, string> = { not_contacted: '未联系', contacted: '已联系', converted: '已转化', dropped: '已流失' };
export const followUpTypes = { not_contacted: 'info', contacted: 'primary', converted: 'success', dropped: 'danger' } as const;

export const membershipLabels = { active: '在读', left: '已退出', removed: '已移出' } as const;

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});
const shortDateTime = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

export const formatDateTime = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)).replace(/\//g, '-') : '—');
export const formatShort = (iso: string | null | undefined) => (iso ? shortDateTime.format(new Date(iso)).replace(/\//g, '-') : '—');
const monthDay = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit' });
export const formatMonthDay = (iso: string | null | undefined) => (iso ? monthDay.format(new Date(iso)).replace(/\//g, '-') : '—');
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

export const auditActionLabels: Record<string, string> = {
  'checkin.release': '通过打卡',
  'checkin.reject': '拒绝打卡',
  'enrollment.remove': '移出学员',
  'enrollment.reinstate': '恢复学员',
  'members.tag': '批量打标签',
  'members.export': '导出学员',
  'tag.create': '新建标签',
  'tag.delete': '删除标签',
  'redemptions.import': '导入发货单',
  'redemptions.shipping_list': '导出发货单',
  'cost.record': '记录成本',
  'cost.delete': '删除成本',
};
