import { addDays } from '../../server/src/platform/clock/business-date';
import { fakeSessionKeyFor } from '../../server/src/platform/wechat/fake-wechat-auth';
import { encryptLikeWeChat } from '../../server/src/platform/wechat/wechat-crypto';
import { UnexpectedAnswer, Session, type Api } from './api';
import { checkinLines, commentLines, personas, quickReplies, Rng, slotTime, type Persona, type Slot } from './personas';
import { OPERATOR_OPENID } from './server';

// ---- the server's answers the demo reads (only the fields it uses) ----

export interface CohortDto { id: number; title: string; status: string; startDate: string; endDate: string; memberCount: number; groupBound: boolean }
interface CheckinResult {
  checkin: { id: number; dayIndex: number; viaGroup: boolean; isMakeUp: boolean };
  awards: Array<{ reason: string; points: number }>;
  streak: { current: number; longest: number; total: number };
  balance: number;
}
interface FeedPage { items: Array<{ id: number; dayIndex: number; author: { id: number; nickname: string } }>; nextCursor: string | null }
interface Leaderboard { items: Array<{ rank: number; member: { id: number }; value: number }> }
interface ReviewQueue { items: Array<{ id: number; dayIndex: number; cohortId: number }>; nextCursor: string | null; counts: { pendingTotal: number } }
interface Product { id: number; name: string; pointsPrice: number; stock: number; kind: 'physical' | 'virtual'; perMemberLimit: number | null }
interface Redemption { id: number; productName: string; quantity: number; pointsTotal: number; state: string; member: { id: number; nickname: string } }
interface RedeemResult { redemption: Redemption; balance: number; replayed: boolean }
interface Offer { id: number; round: number; title: string; priceFen: number; opensAt: string; closesAt: string }
interface Order { id: number; state: string; amountFen: number }
export interface ConversionSummary {
  disbandReady: boolean;
  disbandReadyReason: string | null;
  rounds: Array<{ round: number; opensAt: string; closesAt: string; offer: Offer | null; views: number; paidOrders: number; newPayers: number; revenueFen: number }>;
}
export interface Metrics {
  title: string; status: string; durationDays: number; enrolled: number; active: number; quits: number; quitRate: number;
  groupVerifiedMembers: number;
  checkinRateByDay: Array<{ day: number; checkins: number; rate: number }>;
  completed: number; completionRate: number;
  streakDistribution: Array<{ longestStreak: string; members: number }>;
  checkins: number; reviewCoverage: number; medianReviewLatencySeconds: number | null;
  rounds: Array<{ round: number; offerViews: number; orders: number; newPayers: number; conversionRate: number; revenueFen: number }>;
  payers: number; conversionRate: number; orders: number; revenueFen: number; averageOrderValueFen: number; disbandReady: boolean;
  entry: { sources: EntrySteps[]; total: EntrySteps; entryRate: number };
  topInviters: Array<{ member: { nickname: string }; invited: number; joined: number; checkedIn: number; rewardPoints: number }>;
}
export interface EntrySteps { source: string; opens: number; visitors: number; joins: number; firstCheckins: number }
interface LedgerPage { balance: number; entries: Array<{ delta: number; reason: string }>; nextCursor: string | null }

// ---- what the report needs ----

export interface MallOutcome {
  available: boolean;
  note: string | null;
  products: Product[];
  redemptions: Redemption[];
}

export interface DemoResult {
  cohort: CohortDto;
  nextCohort: CohortDto;
  metrics: Metrics;
  conversion: ConversionSummary;
  readyBeforeRound3Closed: ConversionSummary;
  offers: Offer[];
  abandonedOrders: number;
  disband: { members: number; converted: number; invited: number };
  invitationsSeen: number;
  joinedNext: number;
  points: { byReason: Map<string, number>; balances: number; ledgerMismatches: string[] };
  mall: MallOutcome;
  expected: string[];
  personas: Array<{ persona: Persona; days: number; makeUps: number; longest: number; balance: number; paid: boolean }>;
}

// ---- the timeline (Asia/Shanghai): recruiting 03-01, days 1..7 = 03-02..03-08, rounds on days 8..13 ----

const START = '2026-03-02';
const NEXT_START = '2026-03-16';
const GROUP = 'tGdemoSpokenEnglish01';
const OTHER_GROUP = 'tGsomeOtherChat99';
const FAKE_APPID = 'wx-fake-appid';

/** The date of cohort day `n` (day 0 = the recruiting day before it starts). */
export function dateOfDay(n: number): string {
  return addDays(START, n - 1);
}

const weekday = (date: string) => '日一二三四五六'[new Date(`${date}T00:00:00Z`).getUTCDay()];

const prompts = [
  '自我介绍：用 1 分钟介绍你自己 · Introduce yourself in one minute',
  '跟读打卡：跟读今天的音频三遍 · Shadow today\'s audio three times',
  '点餐情景：在咖啡店点一杯喝的 · Order a drink at a café',
  '问路与指路：描述你家附近的路 · Give directions near your home',
  '讲个故事：说说你最难忘的旅行 · Tell us about a trip you remember',
  '观点表达：你更喜欢城市还是乡村？ · City or countryside?',
  '毕业演讲：这 7 天你学到了什么 · What these 7 days taught you',
];

type Log = (line: string) => void;

export async function playCohort(api: Api, log: Log): Promise<DemoResult> {
  const rng = new Rng(20260302);
  const expected: string[] = [];
  let now = new Date();
  const at = async (date: string, time: string) => {
    const iso = `${date}T${time}+08:00`;
    await api.ok('POST', '/api/v1/dev/clock', undefined, { now: iso });
    now = new Date(iso);
  };
  const proof = (openid: string, opengid: string) =>
    encryptLikeWeChat(
      { opengid, chat_type: 1, watermark: { appid: FAKE_APPID, timestamp: Math.floor(now.getTime() / 1000) } },
      fakeSessionKeyFor(openid),
      rng.bytes(16),
    );
  const refused = (line: string) => {
    expected.push(line);
    log(`    ✓ 预期拒绝 expected: ${line}`);
  };

  // ---- recruiting day: operator, teacher, cohort, next cohort, mall, members ----
  await at(dateOfDay(0), '09:00:00');
  log(`招募日 Recruiting day ${dateOfDay(0)} (周${weekday(dateOfDay(0))})`);
  const operator = await Session.login(api, OPERATOR_OPENID);
  const teacher = await Session.login(api, 'demo-teacher');
  await operator.post(`/admin/members/${teacher.id}/roles`, { roles: ['teacher'] });
  log(`  运营 operator #${operator.id} logged in; 老师 teacher #${teacher.id} granted the teacher role`);

  const cohort = await operator.post<CohortDto>('/cohorts', {
    title: '英语口语 7 天打卡 · 第 1 期',
    theme: 'spoken-english',
    durationDays: 7,
    startDate: START,
    teacherIds: [teacher.id],
    prompts,
    rules: '每天 24 点前打卡一次；从打卡群进入双倍积分；漏卡可补 2 次（每次 20 积分）。',
    welcomeMessage: '欢迎加入口语打卡营！每天开口说 5 分钟，7 天后见证变化。',
  });
  const nextCohort = await operator.post<CohortDto>(`/cohorts/${cohort.id}/clone`, { startDate: NEXT_START, title: '英语口语 7 天打卡 · 第 2 期' });
  log(`  cohort #${cohort.id} "${cohort.title}" ${cohort.startDate}..${cohort.endDate} (${cohort.status}); next cohort #${nextCohort.id} cloned, starts ${nextCohort.startDate}`);

  for (const text of quickReplies) await teacher.post('/teacher/templates', { text });
  const templates = (await teacher.get<{ items: Array<{ text: string }> }>('/teacher/templates')).items.map((t) => t.text);
  log(`  teacher saved ${templates.length} quick replies`);

  const mall: MallOutcome = { available: true, note: null, products: [], redemptions: [] };
  const guardMall = async (step: string, run: () => Promise<void>) => {
    if (!mall.available) return;
    try {
      await run();
    } catch (error) {
      if (!(error instanceof UnexpectedAnswer)) throw error;
      mall.available = false;
      mall.note = `${step}: ${error.method} ${error.path} answered ${error.status} (expected ${error.expected}) ${error.body.slice(0, 300)}`;
      log(`  ⚠ 积分商城不可用，跳过商城步骤 The points mall is not usable; skipping the mall steps.\n    ${mall.note}`);
    }
  };
  const productIds: Record<'notebook' | 'coupon' | 'badge', number> = { notebook: 0, coupon: 0, badge: 0 };
  await guardMall('create products', async () => {
    const create = (body: object) => operator.post<Product>('/mall/products', body);
    productIds.notebook = (await create({ name: '口语手账本', description: '21 天口语练习手账', pointsPrice: 150, stock: 5, perMemberLimit: 1, kind: 'physical' })).id;
    productIds.coupon = (await create({ name: '外教 1 对 1 体验课', description: '25 分钟线上体验课兑换码', pointsPrice: 100, stock: 30, perMemberLimit: 1, kind: 'virtual' })).id;
    productIds.badge = (await create({ name: '限定徽章', description: '第 1 期限定，仅 2 枚', pointsPrice: 60, stock: 2, perMemberLimit: 1, kind: 'physical' })).id;
    log('  mall: 3 products (手账本 150 pts ×5, 体验课 100 pts ×30, 限定徽章 60 pts ×2)');
  });

  const sessions = new Map<string, Session>();
  /** Invites the later joiners arrive through: the first member's poster code, and a card she shared. */
  const arrivals = new Map<string, { code: string; source: string }>();
  const join = async (p: Persona) => {
    const s = await Session.login(api, p.openid);
    const arrival = arrivals.get(p.openid);
    if (arrival) await s.post('/referrals', { inviteCode: arrival.code, cohortId: cohort.id, source: arrival.source });
    await s.post(`/cohorts/${cohort.id}/enrollments`);
    sessions.set(p.openid, s);
  };
  const [inviter, ...others] = personas.filter((x) => x.joinDay === 0);
  await join(inviter);
  const host = sessions.get(inviter.openid)!;
  await host.api.ok('PUT', '/api/v1/me', host.token, { nickname: inviter.name });
  const poster = await sessions.get(inviter.openid)!.get<{ code: string; imageUrl: string }>(`/cohorts/${cohort.id}/poster-code`);
  const card = await sessions.get(inviter.openid)!.get<{ code: string }>(`/me/invite-code?cohortId=${cohort.id}&source=card`);
  others.slice(0, 6).forEach((p, i) => arrivals.set(p.openid, i < 4 ? { code: poster.code, source: 'poster' } : { code: card.code, source: 'group' }));
  for (const p of personas.filter((x) => x.joinDay > 0)) arrivals.set(p.openid, { code: card.code, source: 'card' });
  // Two friends scan the poster and never join: opens count in the entry funnel all the same.
  for (const openid of ['demo-onlooker-1', 'demo-onlooker-2']) await (await Session.login(api, openid)).post('/referrals', { inviteCode: poster.code, source: 'poster' });
  log(`  ${inviter.name} made a poster (Mini Program code ${poster.imageUrl}) and a share card; her invitees arrive through them`);
  for (const p of others) await join(p);
  log(`  ${sessions.size} members logged in and joined`);

  await at(dateOfDay(0), '20:00:00');
  const bound = await operator.post<CohortDto>(`/cohorts/${cohort.id}/group`, proof(OPERATOR_OPENID, GROUP));
  log(`  operator bound the WeChat group from a group proof (groupBound: ${bound.groupBound})`);

  // ---- days 1..7 ----
  const stats = new Map(personas.map((p) => [p.openid, { days: 0, makeUps: 0, longest: 0, balance: 0, paid: false }]));
  const skipped = new Set<number>();
  const reviewPass = async () => {
    let reviewed = 0;
    let after: string | null = null;
    for (;;) {
      const query: string = `/teacher/review-queue?cohortId=${cohort.id}&limit=50${after ? `&after=${after}` : ''}`;
      const queue: ReviewQueue = await teacher.get<ReviewQueue>(query);
      for (const item of queue.items) {
        if (skipped.has(item.id)) continue;
        if (rng.next() < 0.08) {
          skipped.add(item.id); // the teacher never gets to this one
          continue;
        }
        await teacher.post(`/checkins/${item.id}/reviews`, { text: rng.pick(templates) });
        reviewed++;
      }
      after = queue.nextCursor;
      if (!after) break;
    }
    return reviewed;
  };

  // Evenings in the group: members like and comment on each other's check-ins of the day and the
  // teacher features one (its own random numbers, so the rest of the story stays the same).
  const social = new Rng(20260303);
  const nameOf = (memberId: number) => personas.find((p) => sessions.get(p.openid)?.id === memberId)?.name ?? `#${memberId}`;
  const eveningInteraction = async (day: number) => {
    const feed = await teacher.get<FeedPage>(`/cohorts/${cohort.id}/checkins?limit=50`);
    const today = feed.items.filter((item) => item.dayIndex === day);
    if (today.length === 0) return;
    const featured = social.pick(today);
    await teacher.post(`/checkins/${featured.id}/feature`, { featured: true });
    let likes = 0;
    let comments = 0;
    for (const p of personas.filter((x) => sessions.has(x.openid) && !(x.leavesOn !== undefined && x.leavesOn <= day))) {
      const s = sessions.get(p.openid)!;
      if (social.next() < 0.4) continue;
      const others = today.filter((item) => item.author.id !== s.id);
      for (let i = 0; i < 3 && others.length > 0; i++) {
        const [item] = others.splice(social.int(others.length), 1);
        await s.put(`/checkins/${item.id}/like`);
        likes++;
        if (social.next() < 0.15) {
          await s.post(`/checkins/${item.id}/comments`, { text: social.pick(commentLines) });
          comments++;
        }
      }
    }
    log(`  互动 evening: ${likes} likes, ${comments} comments; the teacher featured ${nameOf(featured.author.id)}'s check-in (pinned on top of the feed)`);
  };

  let completionShown = false;
  const awardsText = (result: CheckinResult) =>
    result.awards.map((a) => `${a.points > 0 ? '+' : ''}${a.points} ${a.reason.replace(/_/g, ' ')}`).join(', ');
  const checkIn = async (p: Persona, day: number, body: Record<string, unknown>) => {
    const s = sessions.get(p.openid)!;
    const result = await s.post<CheckinResult>(`/cohorts/${cohort.id}/checkins`, body);
    const st = stats.get(p.openid)!;
    st.days++;
    st.longest = Math.max(st.longest, result.streak.longest);
    st.balance = result.balance;
    return result;
  };

  for (let day = 1; day <= 7; day++) {
    const date = dateOfDay(day);
    let posted = 0;
    let viaGroup = 0;
    let madeUp = 0;
    let reviewed = 0;
    await at(date, '07:00:00');
    log(`第 ${day} 天 Day ${day} · ${date} (周${weekday(date)}) · ${prompts[day - 1].split(' · ')[0]}`);
    for (const p of personas.filter((x) => x.joinDay === day)) {
      await join(p);
      log(`  ${p.name} joined late, on day ${day}`);
    }
    for (const p of personas.filter((x) => x.leavesOn === day)) {
      await sessions.get(p.openid)!.delete(`/cohorts/${cohort.id}/enrollments/me`);
      log(`  ${p.name} left the cohort`);
    }

    const slots: Array<Slot | 'review'> = ['morning', 'noon', 'evening', 'review', 'late'];
    for (const slot of slots) {
      if (slot === 'review') {
        if (day === 6) {
          log('  day 6: 老师休息 the teacher takes the evening off (reviews catch up tomorrow)');
          continue;
        }
        await at(date, '21:00:00');
        reviewed += await reviewPass();
        continue;
      }
      await at(date, slotTime[slot]);
      for (const p of personas.filter((x) => x.slot === slot)) {
        if (p.days.includes(day)) {
          const fromGroup = p.groupDays.includes(day);
          const text = `Day ${day} · ${rng.pick(checkinLines)}`;
          if (p.openid === 'demo-m10' && day === 2) {
            const s = sessions.get(p.openid)!;
            await s.postFails(`/cohorts/${cohort.id}/checkins`, { text, groupProof: proof(p.openid, OTHER_GROUP) }, 400, 'GROUP_MISMATCH');
            refused(`${p.name} opened the app from another WeChat group → 400 GROUP_MISMATCH; checks in again without proof (base points)`);
          }
          const result = await checkIn(p, day, fromGroup ? { text, groupProof: proof(p.openid, GROUP) } : { text });
          posted++;
          if (!completionShown && result.awards.some((a) => a.reason === 'completion_bonus')) {
            completionShown = true;
            log(`  ${p.name} finished all 7 days: ${awardsText(result)} (balance ${result.balance})`);
          }
          if (result.checkin.viaGroup) viaGroup++;
          if (p.openid === 'demo-m01' && day === 1) {
            await sessions.get(p.openid)!.postFails(`/cohorts/${cohort.id}/checkins`, { text: '再点一次 double tap' }, 409, 'CHECKIN_ALREADY_DONE');
            refused(`${p.name} tapped "check in" twice → 409 CHECKIN_ALREADY_DONE, no second award`);
          }
        }
        for (const m of p.makeUps.filter((x) => x.on === day)) {
          const s = sessions.get(p.openid)!;
          const body = { text: `补卡 Make-up for day ${m.day} · ${rng.pick(checkinLines)}`, makeUpDate: dateOfDay(m.day) };
          const st = stats.get(p.openid)!;
          if (st.makeUps >= 2) {
            await s.postFails(`/cohorts/${cohort.id}/checkins`, body, 409, 'MAKEUP_LIMIT_REACHED');
            refused(`${p.name} tried a 3rd make-up (day ${m.day}) → 409 MAKEUP_LIMIT_REACHED (2 per cohort)`);
            continue;
          }
          const result = await checkIn(p, day, body);
          st.makeUps++;
          madeUp++;
          log(`  ${p.name} made up day ${m.day}: ${awardsText(result)} (balance ${result.balance})`);
        }
      }
    }
    log(`  → ${posted} check-ins (${viaGroup} from the group), ${madeUp} make-up${madeUp === 1 ? '' : 's'}, ${reviewed} reviewed at 21:00`);
    await eveningInteraction(day);
  }
  for (const by of ['points', 'streak', 'likes'] as const) {
    const board = await teacher.get<Leaderboard>(`/cohorts/${cohort.id}/leaderboard?by=${by}`);
    const top = board.items.slice(0, 3).map((item) => `${item.rank}. ${nameOf(item.member.id)} ${item.value}`).join('  ');
    log(`  排行榜 leaderboard by ${by}: ${top}`);
  }

  // ---- day 8: catch-up reviews, the mall, round 1 ----
  await at(dateOfDay(8), '09:00:00');
  const caughtUp = await reviewPass();
  log(`第 8 天 Day 8 · ${dateOfDay(8)} (周${weekday(dateOfDay(8))}) · 打卡结束 check-ins closed; the teacher caught up on ${caughtUp} late check-in${caughtUp === 1 ? '' : 's'}`);

  await at(dateOfDay(8), '10:00:00');
  await guardMall('redemptions', async () => {
    const address = (name: string) => ({ name, phone: '13800138000', province: '上海市', city: '上海市', district: '徐汇区', detail: '漕溪北路 1 号' });
    const redeem = (openid: string, product: number, requestId: string, withAddress: boolean) => {
      const s = sessions.get(openid)!;
      const name = personas.find((p) => p.openid === openid)!.name;
      return s.post<RedeemResult>('/mall/redemptions', { productId: product, quantity: 1, requestId, ...(withAddress ? { address: address(name) } : {}) });
    };
    const first = await redeem('demo-m01', productIds.notebook, 'demo-m01-notebook-0001', true);
    const retry = await redeem('demo-m01', productIds.notebook, 'demo-m01-notebook-0001', true);
    log(`  林小雨 redeemed 口语手账本 (balance ${first.balance}); a network retry with the same requestId answered replayed=${retry.replayed}, same redemption #${retry.redemption.id}`);
    await redeem('demo-m02', productIds.badge, 'demo-m02-badge-00001', true);
    await redeem('demo-m03', productIds.badge, 'demo-m03-badge-00001', true);
    log('  陈思远 and 王乐乐 redeemed the last 2 限定徽章');
    const s04 = sessions.get('demo-m04')!;
    await s04.postFails('/mall/redemptions', { productId: productIds.badge, quantity: 1, requestId: 'demo-m04-badge-00001', address: address('赵一鸣') }, 409, 'OUT_OF_STOCK');
    refused('赵一鸣 wanted a 限定徽章 → 409 OUT_OF_STOCK (sold out); takes the 体验课 instead');
    await redeem('demo-m04', productIds.coupon, 'demo-m04-coupon-0001', false);
    await sessions.get('demo-m16')!.postFails('/mall/redemptions', { productId: productIds.coupon, quantity: 1, requestId: 'demo-m16-coupon-0001' }, 409, 'INSUFFICIENT_POINTS');
    refused('宋雨萱 (10 points) tried the 100-point 体验课 → 409 INSUFFICIENT_POINTS');
    const cancelled = await redeem('demo-m05', productIds.coupon, 'demo-m05-coupon-0001', false);
    const refund = await sessions.get('demo-m05')!.post<{ balance: number }>(`/mall/redemptions/${cancelled.redemption.id}/cancel`, { reason: '时间不合适 wrong time slot' });
    log(`  周可欣 redeemed then cancelled a 体验课: points refunded once (balance ${cancelled.balance} → ${refund.balance})`);
    await redeem('demo-m07', productIds.notebook, 'demo-m07-notebook-0001', true);
    await redeem('demo-m09', productIds.coupon, 'demo-m09-coupon-0001', false);
    await operator.post(`/mall/redemptions/${first.redemption.id}/fulfil`, { carrier: '顺丰', trackingNumber: 'SF1234567890' });
    const coupon04 = (await sessions.get('demo-m04')!.get<{ items: Redemption[] }>('/me/redemptions')).items[0];
    await operator.post(`/mall/redemptions/${coupon04.id}/fulfil`, { code: 'TRIAL-2026-0304' });
    log('  operator shipped 林小雨\'s 手账本 (顺丰) and sent 赵一鸣 his 体验课 code');
  });

  // ---- three offer rounds (days 8..13) ----
  const offers: Offer[] = [];
  let abandonedOrders = 0;
  const rounds = [
    { day: 8, title: '进阶口语 21 天营 · 早鸟价', priceFen: 19900, originalPriceFen: 39900,
      viewers: ['m01', 'm02', 'm03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09', 'm10', 'm11', 'm12', 'm14', 'm19'], buyers: ['m01', 'm07', 'm02'], abandon: ['m10'] },
    { day: 10, title: '进阶口语 21 天营 · 限时优惠', priceFen: 14900, originalPriceFen: 39900,
      viewers: ['m03', 'm04', 'm05', 'm06', 'm08', 'm09', 'm10', 'm11', 'm12', 'm13'], buyers: ['m10', 'm12'], abandon: [] },
    { day: 12, title: '进阶口语 21 天营 · 最后机会', priceFen: 9900, originalPriceFen: 39900,
      viewers: ['m03', 'm04', 'm05', 'm08', 'm09', 'm11', 'm14'], buyers: ['m05'], abandon: [] },
  ];
  for (const [i, round] of rounds.entries()) {
    const n = i + 1;
    await at(dateOfDay(round.day), '09:00:00');
    const offer = await operator.post<Offer>(`/cohorts/${cohort.id}/offers`, { round: n, title: round.title, priceFen: round.priceFen, originalPriceFen: round.originalPriceFen });
    offers.push(offer);
    await at(dateOfDay(round.day), '12:00:00');
    for (const key of round.viewers) {
      const open = await sessions.get(`demo-${key}`)!.get<{ items: Offer[] }>('/me/offers');
      if (!open.items.some((o) => o.id === offer.id)) throw new Error(`demo-${key} does not see the round ${n} offer`);
    }
    await at(dateOfDay(round.day), '20:30:00');
    for (const key of [...round.buyers, ...round.abandon]) {
      const s = sessions.get(`demo-${key}`)!;
      const created = await s.post<{ order: Order; fakePayment: boolean }>(`/offers/${offer.id}/orders`);
      if (round.abandon.includes(key)) {
        abandonedOrders++;
        continue;
      }
      const paid = await s.post<Order>(`/dev/orders/${created.order.id}/pay`);
      if (paid.state !== 'paid') throw new Error(`order ${paid.id} is ${paid.state} after paying`);
      stats.get(`demo-${key}`)!.paid = true;
    }
    const names = (keys: string[]) => keys.map((k) => personas.find((p) => p.openid === `demo-${k}`)!.name).join('、') || '—';
    log(`第 ${n} 轮 Round ${n} · ${dateOfDay(round.day)}..${dateOfDay(round.day + 1).slice(5)} · "${round.title}" ¥${(round.priceFen / 100).toFixed(2)}`);
    log(`  ${round.viewers.length} members viewed it; paid (create order → WeChat Pay notification): ${names(round.buyers)}${round.abandon.length ? `; ${names(round.abandon)} opened the payment sheet and left` : ''}`);
  }

  // ---- disband into the next cohort ----
  await at(dateOfDay(13), '23:00:00');
  const readyBeforeRound3Closed = await operator.get<ConversionSummary>(`/cohorts/${cohort.id}/conversion`);
  log(`${dateOfDay(13)} 23:00 round 3 still open → disbandReady=${readyBeforeRound3Closed.disbandReady}`);
  await at(dateOfDay(14), '09:00:00');
  const conversion = await operator.get<ConversionSummary>(`/cohorts/${cohort.id}/conversion`);
  if (!conversion.disbandReady) throw new Error(`the cohort should be ready to disband on ${dateOfDay(14)}: ${JSON.stringify(conversion)}`);
  log(`${dateOfDay(14)} 09:00 → disbandReady=${conversion.disbandReady} (${conversion.disbandReadyReason})`);
  const disband = await operator.post<{ cohort: CohortDto; members: number; converted: number; invited: number }>(`/cohorts/${cohort.id}/disband`, { nextCohortId: nextCohort.id });
  log(`  解散 disbanded: ${disband.members} members, ${disband.converted} converted, ${disband.invited} invited to #${nextCohort.id}`);
  await sessions.get('demo-m01')!.postFails(`/cohorts/${cohort.id}/checkins`, { text: 'one more?' }, 409, 'COHORT_NOT_RUNNING');
  refused('林小雨 tried to post in the disbanded cohort → 409 COHORT_NOT_RUNNING');

  let invitationsSeen = 0;
  let joinedNext = 0;
  const accepting = new Set(['demo-m01', 'demo-m02', 'demo-m03', 'demo-m04', 'demo-m07', 'demo-m09', 'demo-m11', 'demo-m12']);
  await at(dateOfDay(14), '12:00:00');
  for (const p of personas) {
    const s = sessions.get(p.openid)!;
    const inbox = await s.get<{ items: Array<{ kind: string; page: string }> }>('/me/notifications');
    const invitation = inbox.items.find((n) => n.kind === 'invitation' && n.page.includes(`id=${nextCohort.id}`));
    if (!invitation) continue;
    invitationsSeen++;
    if (accepting.has(p.openid)) {
      await s.post(`/cohorts/${nextCohort.id}/enrollments`);
      joinedNext++;
    }
  }
  const next = await operator.get<CohortDto>(`/cohorts/${nextCohort.id}`);
  log(`  ${invitationsSeen} members found the invitation in their inbox; ${joinedNext} joined 第 2 期 (memberCount ${next.memberCount}, ${next.status})`);

  // ---- numbers for the report ----
  const metrics = await operator.get<Metrics>(`/cohorts/${cohort.id}/metrics`);
  const byReason = new Map<string, number>();
  let balances = 0;
  const ledgerMismatches: string[] = [];
  for (const p of personas) {
    const s = sessions.get(p.openid)!;
    let before: string | null = null;
    let sum = 0;
    let balance = 0;
    for (;;) {
      const path: string = `/me/points?limit=50${before ? `&before=${before}` : ''}`;
      const page: LedgerPage = await s.get<LedgerPage>(path);
      balance = page.balance;
      for (const e of page.entries) {
        sum += e.delta;
        byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + e.delta);
      }
      before = page.nextCursor;
      if (!before) break;
    }
    balances += balance;
    stats.get(p.openid)!.balance = balance;
    if (sum !== balance) ledgerMismatches.push(`${p.name}: balance ${balance}, ledger ${sum}`);
  }
  await guardMall('read the mall', async () => {
    mall.products = (await operator.get<{ items: Product[] }>('/mall/products?includeInactive=true')).items;
    let before: string | null = null;
    for (;;) {
      const path: string = `/mall/redemptions?limit=50${before ? `&before=${before}` : ''}`;
      const page: { items: Redemption[]; nextCursor: string | null } = await operator.get(path);
      mall.redemptions.push(...page.items);
      before = page.nextCursor;
      if (!before) break;
    }
  });

  return {
    cohort, nextCohort: next, metrics, conversion, readyBeforeRound3Closed, offers, abandonedOrders,
    disband: { members: disband.members, converted: disband.converted, invited: disband.invited },
    invitationsSeen, joinedNext,
    points: { byReason, balances, ledgerMismatches },
    mall, expected,
    personas: personas.map((persona) => ({ persona, ...stats.get(persona.openid)! })),
  };
}
