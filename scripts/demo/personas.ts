/** The demo's fixed cast: 20 members with different habits, and a seeded PRNG for the small choices. */

export type Slot = 'morning' | 'noon' | 'evening' | 'late';

/** Wall-clock time (Asia/Shanghai) of each check-in slot; `late` comes after the teacher's 21:00 review. */
export const slotTime: Record<Slot, string> = {
  morning: '07:40:00',
  noon: '12:30:00',
  evening: '19:50:00',
  late: '23:15:00',
};

export interface Persona {
  openid: string;
  name: string;
  /** What kind of member this is, for the printed cast list. */
  kind: string;
  slot: Slot;
  /** Day on which the member joins (0 = recruiting day). */
  joinDay: number;
  /** Days checked in on the day itself. */
  days: number[];
  /** Of those, the days opened from the cohort's WeChat group card (double points). */
  groupDays: number[];
  /** Make-ups: on day `on`, fill the missed day `day` (after that day's own check-in). */
  makeUps: Array<{ on: number; day: number }>;
  /** Leaves the cohort on this day (before checking in). */
  leavesOn?: number;
}

const all = [1, 2, 3, 4, 5, 6, 7];
const without = (...missed: number[]) => all.filter((d) => !missed.includes(d));

const persona = (p: Partial<Persona> & Pick<Persona, 'openid' | 'name' | 'kind' | 'slot'>): Persona => ({
  joinDay: 0, days: [], groupDays: [], makeUps: [], ...p,
});

export const personas: Persona[] = [
  persona({ openid: 'demo-m01', name: '林小雨', kind: '群内全勤 group, every day', slot: 'morning', days: all, groupDays: all }),
  persona({ openid: 'demo-m02', name: '陈思远', kind: '群内全勤 group, every day', slot: 'noon', days: all, groupDays: all }),
  persona({ openid: 'demo-m03', name: '王乐乐', kind: '群内全勤 group, every day', slot: 'evening', days: all, groupDays: all }),
  persona({ openid: 'demo-m04', name: '赵一鸣', kind: '群内全勤 group, every day', slot: 'morning', days: all, groupDays: all }),
  persona({ openid: 'demo-m05', name: '周可欣', kind: '群内全勤 group, every day', slot: 'noon', days: all, groupDays: all }),
  persona({ openid: 'demo-m06', name: '吴晓峰', kind: '群内→出差 group, then travelling', slot: 'evening', days: all, groupDays: [1, 2, 3, 4, 5] }),
  persona({ openid: 'demo-m07', name: '郑雅文', kind: '小程序全勤 app, every day', slot: 'morning', days: all }),
  persona({ openid: 'demo-m08', name: '孙浩然', kind: '夜猫子全勤 night owl', slot: 'late', days: all }),
  persona({ openid: 'demo-m09', name: '黄佳怡', kind: '小程序全勤 app, every day', slot: 'noon', days: all }),
  persona({ openid: 'demo-m10', name: '刘子涵', kind: '有时在群 sometimes group', slot: 'evening', days: all, groupDays: [1, 3, 5] }),
  persona({ openid: 'demo-m11', name: '何俊杰', kind: '忙碌补卡 busy, makes up 2', slot: 'evening', days: without(3, 5), makeUps: [{ on: 4, day: 3 }, { on: 6, day: 5 }] }),
  persona({ openid: 'demo-m12', name: '高雨桐', kind: '忙碌补卡 busy, makes up 1', slot: 'noon', days: without(4), makeUps: [{ on: 7, day: 4 }] }),
  persona({ openid: 'demo-m13', name: '马天宇', kind: '忙碌超限 busy, 3rd make-up refused', slot: 'morning', days: [1, 3, 5, 7], makeUps: [{ on: 3, day: 2 }, { on: 5, day: 4 }, { on: 7, day: 6 }] }),
  persona({ openid: 'demo-m14', name: '罗欣然', kind: '缺勤不补 misses days', slot: 'evening', days: without(2, 6) }),
  persona({ openid: 'demo-m15', name: '梁振宇', kind: '中途放弃 drops out day 4', slot: 'noon', days: [1, 2, 3] }),
  persona({ openid: 'demo-m16', name: '宋雨萱', kind: '三分钟热度 day 1 only', slot: 'morning', days: [1] }),
  persona({ openid: 'demo-m17', name: '唐嘉怡', kind: '中途放弃 drops out day 3', slot: 'late', days: [1, 2] }),
  persona({ openid: 'demo-m18', name: '许文博', kind: '退出 leaves on day 3', slot: 'evening', days: [1, 2], leavesOn: 3 }),
  persona({ openid: 'demo-m19', name: '韩梦琪', kind: '晚到补卡 joins day 2, makes up day 1', slot: 'noon', joinDay: 2, days: [2, 3, 4, 5, 6, 7], groupDays: [2, 3, 4, 5, 6, 7], makeUps: [{ on: 3, day: 1 }] }),
  persona({ openid: 'demo-m20', name: '冯晨阳', kind: '潜水 joins, never posts', slot: 'morning' }),
];

/** mulberry32: a tiny deterministic PRNG, so every run of the demo plays the same story. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }
}

export const checkinLines = [
  '今天跟读了 10 分钟，连读终于顺了。Shadowed for 10 minutes today.',
  '录了一段自我介绍，语调还要再练。Recorded my self-introduction.',
  '背了 12 个新单词，用它们造了句子。Learned 12 new words.',
  '和同事用英语点了咖啡，成功！Ordered coffee in English at work.',
  '听了一期播客，复述了大意。Retold a podcast episode.',
  '练了 th 的发音，对着镜子练很有用。Practised the "th" sound.',
  '今天有点累，但还是完成了。Tired, but done.',
];

/** What members say under each other's check-ins. */
export const commentLines = [
  '加油！我也在练这个。Keep going!',
  '发音好标准，学习了 👍',
  '连读好自然，求方法！',
  '今天也一起坚持！',
];

export const quickReplies = [
  '发音清晰，继续保持！Clear pronunciation, keep it up!',
  '语调很自然，注意句尾降调。Nice intonation; let the sentence end fall.',
  '内容很充实，明天试着再多说两句。Good content; try two more sentences tomorrow.',
  '进步很明显，为你点赞！Great progress!',
];
