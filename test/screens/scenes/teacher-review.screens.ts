import { ok } from '../../miniprogram/helpers/fake-server';
import { tap, typeInto } from '../../miniprogram/helpers/render';
import { queue, queueItem, review, templates } from '../support/fixtures';
import { reviewQueueStore } from '../../../miniprogram/packageTeacher/stores/review-queue';
import { offline, pending, screens } from '../support/scene';

const recorder = () => {
  const handlers: Record<string, (arg?: unknown) => void> = {};
  return {
    onStart: (f: () => void) => (handlers.start = f), onStop: (f: () => void) => (handlers.stop = f),
    onError: (f: (e?: unknown) => void) => (handlers.error = f), start: () => handlers.start?.(), stop: () => undefined,
    refuse: () => handlers.error?.({ errMsg: 'operateRecorder:fail auth deny' }),
  };
};
const wxStubs = { getRecorderManager: recorder };
const refusingRecorder = { ...recorder(), start() { this.refuse(); } };
const server = (item = queueItem({ id: 131 })) => ({ 'GET /checkins/131': () => ok(item), 'GET /teacher/templates': () => ok({ items: templates() }) });

screens({
  name: 'teacher-review',
  page: 'packageTeacher/pages/review/index',
  title: '点评',
  role: 'teacher',
  states: [
    { name: 'compose', caption: '写点评：快捷回复、录语音、设为精选；「发送并下一条」', query: { checkinId: '131' }, wx: wxStubs, server: server(),
      before: () => { reviewQueueStore.items = queue(); },
      act: (page) => typeInto(page, '.review-field', '早餐介绍得很完整！注意 "cherry tomatoes" 的复数发音。') },
    { name: 'voice-ready', caption: '已录好一段语音', query: { checkinId: '131' }, wx: wxStubs, server: server(),
      act: (page) => (page.instance as unknown as { setData(d: object): void }).setData({ audioState: 'ready', audioUrl: '/uploads/audio/x.mp3', audioSeconds: 24 }) },
    { name: 'mic-refused', caption: '麦克风被拒绝：说明怎么在设置里打开', query: { checkinId: '131' }, server: server(),
      wx: { getRecorderManager: () => refusingRecorder }, act: (page) => tap(page, '.record') },
    { name: 'member-voice', caption: '学员的录音打卡：先听再点评', query: { checkinId: '131' }, wx: wxStubs,
      server: server(queueItem({ id: 131, text: '', imageUrls: [], audioUrl: '/uploads/audio/2026/11/m131.m4a', audioSeconds: 64 })) },
    { name: 'edit', caption: '修改我已发出的点评', query: { checkinId: '131' }, wx: wxStubs, server: server(queueItem({ id: 131, review: review({ checkinId: 131 }) })) },
    { name: 'others-review', caption: '别的老师已点评', query: { checkinId: '131' }, wx: wxStubs,
      server: server(queueItem({ id: 131, review: review({ checkinId: 131, teacher: { id: 43, nickname: '李老师' } }) })) },
    { name: 'loading', caption: '加载中', query: { checkinId: '131' }, wx: wxStubs, server: { 'GET /checkins/131': pending, 'GET /teacher/templates': () => ok({ items: [] }) } },
    { name: 'offline', caption: '断网', query: { checkinId: '131' }, wx: wxStubs, server: { 'GET /checkins/131': offline, 'GET /teacher/templates': offline } },
  ],
});
