import type { CohortCreateBody } from '../../../services/api-types';
import { cohortsStore } from '../../../stores/cohorts';
import { businessToday, shortDate } from '../../../utils/dates';
import { messageOf } from '../../../utils/errors';
import { toastError } from '../../../utils/toast';
import { operatorApi } from '../../services/operator-api';
import { promptsToSend } from '../../utils/prompts';

export const DURATIONS = [7, 14, 21] as const;
type Duration = (typeof DURATIONS)[number];

const STEPS = ['基本信息', '每日主题', '规则与欢迎语'];

export const DEFAULT_REMINDER_TIME = '08:00';
/** The server takes at most 20 teachers per cohort; the picker shows the newest 50. */
const MAX_TEACHERS = 20;
const TEACHER_PAGE = 50;

type TeachersState = 'loading' | 'ready' | 'error';


/**
 * A short wizard to launch a cohort: 1 title, theme, 7/14/21 days, start date, teachers and the daily
 * reminder time; 2 a prompt per day (optional); 3 rules and welcome message, then POST /cohorts.
 */
Component({
  data: {
    steps: STEPS,
    step: 0,
    durations: DURATIONS as readonly number[],
    title: '',
    theme: '',
    durationDays: 7 as Duration,
    startDate: '',
    startLabel: '',
    today: businessToday(),
    prompts: [] as string[],
    rules: '',
    welcome: '',
    reminderTime: DEFAULT_REMINDER_TIME,
    teachers: [] as { id: number; nickname: string; selected: boolean }[],
    teachersState: 'loading' as TeachersState,
    teacherIds: [] as number[],
    submitting: false,
  },
  lifetimes: {
    attached() {
      this.setData({ prompts: new Array<string>(this.data.durationDays).fill(''), today: businessToday() });
      void this.loadTeachers();
    },
  },
  methods: {
    /** The members who hold the teacher role, to assign to the cohort (GET /admin/members?role=teacher). */
    async loadTeachers() {
      this.setData({ teachersState: 'loading' });
      try {
        const { items } = await operatorApi.members({ role: 'teacher', limit: TEACHER_PAGE });
        const chosen = new Set(this.data.teacherIds);
        this.setData({
          teachersState: 'ready',
          teachers: items.map((m) => ({ id: m.id, nickname: m.nickname, selected: chosen.has(m.id) })),
        });
      } catch {
        this.setData({ teachersState: 'error' });
      }
    },
    onReloadTeachers() {
      void this.loadTeachers();
    },
    onToggleTeacher(event: WechatMiniprogram.TouchEvent) {
      const id = Number(event.currentTarget.dataset.id);
      const chosen = this.data.teacherIds;
      if (!chosen.includes(id) && chosen.length >= MAX_TEACHERS) {
        toastError(this, `最多选择${MAX_TEACHERS}位老师`);
        return;
      }
      const teacherIds = chosen.includes(id) ? chosen.filter((t) => t !== id) : [...chosen, id];
      this.setData({
        teacherIds,
        teachers: this.data.teachers.map((t) => ({ ...t, selected: teacherIds.includes(t.id) })),
      });
    },
    onReminderTime(event: WechatMiniprogram.PickerChange) {
      this.setData({ reminderTime: String(event.detail.value) });
    },
    onTitle(event: WechatMiniprogram.Input) {
      this.setData({ title: event.detail.value });
    },
    onTheme(event: WechatMiniprogram.Input) {
      this.setData({ theme: event.detail.value });
    },
    onDuration(event: WechatMiniprogram.TouchEvent) {
      const days = Number(event.currentTarget.dataset.days) as Duration;
      if (!DURATIONS.includes(days) || days === this.data.durationDays) return;
      // Keep what was typed for the days that remain.
      const prompts = Array.from({ length: days }, (_, i) => this.data.prompts[i] ?? '');
      this.setData({ durationDays: days, prompts });
    },
    onStartDate(event: WechatMiniprogram.PickerChange) {
      const startDate = String(event.detail.value);
      this.setData({ startDate, startLabel: shortDate(startDate) });
    },
    onPrompt(event: WechatMiniprogram.Input) {
      const index = Number(event.currentTarget.dataset.index);
      this.setData({ [`prompts[${index}]`]: event.detail.value });
    },
    onRules(event: WechatMiniprogram.Input) {
      this.setData({ rules: event.detail.value });
    },
    onWelcome(event: WechatMiniprogram.Input) {
      this.setData({ welcome: event.detail.value });
    },
    /** What is missing on the current step, or '' when it may move on. */
    problem(): string {
      if (this.data.step === 0) {
        if (!this.data.title.trim()) return '请填写打卡期名称';
        if (!this.data.theme.trim()) return '请填写主题';
        if (!this.data.startDate) return '请选择开始日期';
        if (this.data.startDate < this.data.today) return '开始日期不能早于今天';
      }
      if (this.data.step === 1) {
        const prompts = promptsToSend(this.data.prompts);
        if ('missingDay' in prompts) return `请填写第${prompts.missingDay}天的主题，或清空它之后的主题`;
      }
      return '';
    },
    onNext() {
      const problem = this.problem();
      if (problem) {
        toastError(this, problem);
        return;
      }
      this.setData({ step: Math.min(this.data.step + 1, STEPS.length - 1) });
    },
    onBack() {
      this.setData({ step: Math.max(this.data.step - 1, 0) });
    },
    body(): CohortCreateBody {
      const body: CohortCreateBody = {
        title: this.data.title.trim(),
        theme: this.data.theme.trim(),
        durationDays: this.data.durationDays,
        startDate: this.data.startDate,
        reminderTime: this.data.reminderTime,
      };
      if (this.data.teacherIds.length) body.teacherIds = [...this.data.teacherIds];
      const prompts = promptsToSend(this.data.prompts);
      if ('prompts' in prompts && prompts.prompts.length) body.prompts = prompts.prompts;
      if (this.data.rules.trim()) body.rules = this.data.rules.trim();
      if (this.data.welcome.trim()) body.welcomeMessage = this.data.welcome.trim();
      return body;
    },
    async onCreate() {
      if (this.data.submitting) return;
      this.setData({ submitting: true });
      try {
        const cohort = await operatorApi.createCohort(this.body());
        cohortsStore.put(cohort);
        void wx.redirectTo({ url: `/packageOperator/pages/cohort/index?id=${cohort.id}` });
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
