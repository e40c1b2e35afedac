import type { Cohort, CohortCreateBody } from '../../../services/api-types';
import { cohortsStore } from '../../../stores/cohorts';
import { codeOf, messageOf } from '../../../utils/errors';
import { statusTag } from '../../../utils/labels';
import { toastError } from '../../../utils/toast';
import { operatorApi } from '../../services/operator-api';
import { promptsToSend } from '../../utils/prompts';

/** What the form edits, as text (empty = none). */
interface Fields {
  title: string;
  theme: string;
  reminderTime: string;
  announcement: string;
  welcome: string;
  rules: string;
  prompts: string[];
}

function fieldsOf(cohort: Cohort): Fields {
  const prompts = Array.from({ length: cohort.durationDays }, (_, i) => cohort.prompts.find((p) => p.dayIndex === i + 1)?.text ?? '');
  return {
    title: cohort.title,
    theme: cohort.theme,
    reminderTime: cohort.reminderTime,
    announcement: cohort.announcement ?? '',
    welcome: cohort.welcomeMessage ?? '',
    rules: cohort.rules ?? '',
    prompts,
  };
}

const nullable = (text: string) => (text.trim() ? text.trim() : null);

/** Only what changed (PUT /cohorts/:id changes only the fields sent), or the problem to show. */
function changesOf(saved: Fields, now: Fields, only: string): Partial<CohortCreateBody> | string {
  const body: Partial<CohortCreateBody> = {};
  if (now.announcement.trim() !== saved.announcement.trim()) body.announcement = nullable(now.announcement);
  if (only === 'announcement') return body;
  if (now.title.trim() !== saved.title) {
    if (!now.title.trim()) return '请填写打卡期名称';
    body.title = now.title.trim();
  }
  if (now.theme.trim() !== saved.theme) {
    if (!now.theme.trim()) return '请填写主题';
    body.theme = now.theme.trim();
  }
  if (now.reminderTime !== saved.reminderTime) body.reminderTime = now.reminderTime;
  if (now.welcome.trim() !== saved.welcome.trim()) body.welcomeMessage = nullable(now.welcome);
  if (now.rules.trim() !== saved.rules.trim()) body.rules = nullable(now.rules);
  if (now.prompts.some((p, i) => p.trim() !== (saved.prompts[i] ?? '').trim())) {
    const prompts = promptsToSend(now.prompts);
    if ('missingDay' in prompts) return `请填写第${prompts.missingDay}天的主题，或清空它之后的主题`;
    body.prompts = prompts.prompts;
  }
  return body;
}

/**
 * Operators edit a cohort (`?id=`), or only its announcement (`?id=&only=announcement`), with
 * PUT /cohorts/:id. Only changed fields are sent; whatever the server refuses (e.g. COHORT_ALREADY_STARTED
 * for a cohort that has begun) is shown on the page and nothing is lost from the form.
 */
Component({
  data: {
    id: 0,
    only: '',
    state: 'loading' as 'loading' | 'ready' | 'error',
    errorMessage: '',
    started: false,
    statusLabel: '',
    saved: null as Fields | null,
    title: '',
    theme: '',
    reminderTime: '08:00',
    announcement: '',
    welcome: '',
    rules: '',
    prompts: [] as string[],
    changed: false,
    saving: false,
    refusal: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const only = query.only === 'announcement' ? 'announcement' : '';
      this.setData({ id: Number(query.id), only });
      wx.setNavigationBarTitle({ title: only ? '编辑公告' : '编辑打卡期' });
      void this.load();
    },
    async load() {
      this.setData({ state: 'loading' });
      try {
        this.show(await cohortsStore.fetch(this.data.id));
      } catch (error) {
        this.setData({ state: 'error', errorMessage: messageOf(error) });
      }
    },
    show(cohort: Cohort) {
      const fields = fieldsOf(cohort);
      this.setData({
        ...fields,
        saved: fields,
        state: 'ready',
        started: cohort.status !== 'recruiting',
        statusLabel: statusTag(cohort.status).label,
        changed: false,
      });
    },
    onReload() {
      void this.load();
    },
    current(): Fields {
      const { title, theme, reminderTime, announcement, welcome, rules, prompts } = this.data;
      return { title, theme, reminderTime, announcement, welcome, rules, prompts };
    },
    edit(patch: Record<string, unknown>) {
      this.setData(patch);
      const body = this.data.saved ? changesOf(this.data.saved, this.current(), this.data.only) : {};
      this.setData({ changed: typeof body === 'string' || Object.keys(body).length > 0, refusal: '' });
    },
    onTitle(event: WechatMiniprogram.Input) {
      this.edit({ title: event.detail.value });
    },
    onTheme(event: WechatMiniprogram.Input) {
      this.edit({ theme: event.detail.value });
    },
    onReminderTime(event: WechatMiniprogram.PickerChange) {
      this.edit({ reminderTime: String(event.detail.value) });
    },
    onAnnouncement(event: WechatMiniprogram.Input) {
      this.edit({ announcement: event.detail.value });
    },
    onWelcome(event: WechatMiniprogram.Input) {
      this.edit({ welcome: event.detail.value });
    },
    onRules(event: WechatMiniprogram.Input) {
      this.edit({ rules: event.detail.value });
    },
    onPrompt(event: WechatMiniprogram.Input) {
      this.edit({ [`prompts[${Number(event.currentTarget.dataset.index)}]`]: event.detail.value });
    },
    async onSave() {
      if (this.data.saving || !this.data.saved) return;
      const body = changesOf(this.data.saved, this.current(), this.data.only);
      if (typeof body === 'string') {
        toastError(this, body);
        return;
      }
      if (!Object.keys(body).length) return;
      this.setData({ saving: true, refusal: '' });
      try {
        const cohort = await operatorApi.updateCohort(this.data.id, body);
        cohortsStore.put(cohort);
        this.show(cohort);
        void wx.showToast({ title: this.data.only ? '公告已发布' : '已保存', icon: 'success' });
        void wx.navigateBack();
      } catch (error) {
        // Said on the page, where the edit still is: what was refused and why.
        const refused = messageOf(error);
        this.setData({
          refusal: codeOf(error) === 'COHORT_ALREADY_STARTED' ? `${refused}：服务器目前只允许在开始前修改这些内容。` : refused,
        });
      } finally {
        this.setData({ saving: false });
      }
    },
  },
});
