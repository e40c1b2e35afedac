import type { GrantableRole, Member } from '../../../services/api-types';
import { memberStore } from '../../../stores/member';
import { messageOf } from '../../../utils/errors';
import { roleTags } from '../../../utils/roles';
import { toastError, toastText } from '../../../utils/toast';
import { operatorApi } from '../../services/operator-api';

const PAGE_SIZE = 20;

/** The roles an operator can grant, in the order the toggles show them. */
export const GRANTABLE: { role: GrantableRole; label: string }[] = [
  { role: 'teacher', label: '老师' },
  { role: 'operator', label: '运营' },
];

function granted(member: Member): GrantableRole[] {
  return GRANTABLE.map((g) => g.role).filter((role) => member.roles.includes(role));
}

/** One member as a row: their current roles as tags, and the toggles (a draft until saved). */
function rowView(member: Member, draft: GrantableRole[] = granted(member)) {
  const saved = granted(member);
  return {
    id: member.id,
    nickname: member.nickname,
    me: member.id === memberStore.member?.id,
    tags: roleTags(member.roles),
    toggles: GRANTABLE.map((g) => ({ ...g, on: draft.includes(g.role) })),
    draft,
    changed: draft.length !== saved.length || draft.some((role) => !saved.includes(role)),
    saving: false,
  };
}

type Row = ReturnType<typeof rowView>;

/**
 * Operators grant and take back the teacher and operator roles: search members by nickname or id, toggle
 * 老师 / 运营 and save (POST /admin/members/:id/roles replaces the granted roles).
 */
Component({
  data: {
    query: '',
    rows: [] as Row[],
    members: [] as Member[],
    nextCursor: null as string | null,
    status: 'idle' as 'idle' | 'loading' | 'ready' | 'error',
    errorMessage: '',
    loadingMore: false,
  },
  lifetimes: {
    attached() {
      void this.search();
    },
  },
  methods: {
    onQuery(event: WechatMiniprogram.Input) {
      this.setData({ query: event.detail.value });
    },
    onSearch() {
      void this.search();
    },
    /** The first page for the query (all members, newest first, when it is empty). */
    async search() {
      this.setData({ status: 'loading', errorMessage: '' });
      try {
        const q = (this.data.query as string).trim();
        const page = await operatorApi.members({ q: q || undefined, limit: PAGE_SIZE });
        this.setData({ status: 'ready', members: page.items, rows: page.items.map((m) => rowView(m)), nextCursor: page.nextCursor });
      } catch (error) {
        this.setData({ status: 'error', errorMessage: messageOf(error) });
      }
    },
    async onPullDownRefresh() {
      await this.search();
      wx.stopPullDownRefresh();
    },
    async onMore() {
      if (!this.data.nextCursor || this.data.loadingMore) return;
      this.setData({ loadingMore: true });
      try {
        const q = (this.data.query as string).trim();
        const page = await operatorApi.members({ q: q || undefined, limit: PAGE_SIZE, before: this.data.nextCursor });
        const known = new Set(this.data.members.map((m) => m.id));
        const fresh = page.items.filter((m) => !known.has(m.id));
        this.setData({
          members: [...this.data.members, ...fresh],
          rows: [...this.data.rows, ...fresh.map((m) => rowView(m))],
          nextCursor: page.nextCursor,
        });
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ loadingMore: false });
      }
    },
    indexOf(id: number): number {
      return this.data.rows.findIndex((row) => row.id === id);
    },
    onToggle(event: WechatMiniprogram.TouchEvent) {
      const index = this.indexOf(Number(event.currentTarget.dataset.id));
      const role = event.currentTarget.dataset.role as GrantableRole;
      if (index === -1 || this.data.rows[index].saving) return;
      const draft = this.data.rows[index].draft;
      const next = draft.includes(role) ? draft.filter((r) => r !== role) : [...draft, role];
      this.setData({ [`rows[${index}]`]: rowView(this.data.members[index], GRANTABLE.map((g) => g.role).filter((r) => next.includes(r))) });
    },
    async onSave(event: WechatMiniprogram.TouchEvent) {
      const index = this.indexOf(Number(event.currentTarget.dataset.id));
      if (index === -1) return;
      const row = this.data.rows[index];
      if (row.saving || !row.changed) return;
      this.setData({ [`rows[${index}].saving`]: true });
      try {
        const member = await operatorApi.setRoles(row.id, row.draft);
        if (member.id === memberStore.member?.id) memberStore.setMember(member);
        this.setData({ [`members[${index}]`]: member, [`rows[${index}]`]: rowView(member) });
        toastText(this, `已保存${member.nickname}的身份`);
      } catch (error) {
        // Back to what the server holds: the toggles show the roles as they are.
        this.setData({ [`rows[${index}]`]: rowView(this.data.members[index]) });
        toastError(this, messageOf(error));
      }
    },
  },
});
