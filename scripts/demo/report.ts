import type { DemoResult } from './scenario';

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff);
    width += wide ? 2 : 1;
  }
  return width;
}

const padEnd = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));
const padStart = (text: string, width: number) => ' '.repeat(Math.max(0, width - displayWidth(text))) + text;

/** An aligned table; columns whose align is 'r' are right-aligned (numbers). */
export function table(headers: string[], rows: string[][], align: Array<'l' | 'r'>, indent = '  '): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    indent + cells.map((cell, i) => (align[i] === 'r' ? padStart(cell, widths[i]) : padEnd(cell, widths[i]))).join('  ').trimEnd();
  const rule = indent + widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

function bar(fraction: number, width = 24): string {
  const cells = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '█'.repeat(cells) + '░'.repeat(width - cells);
}

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

const heading = (title: string) => `\n${title}\n${'─'.repeat(displayWidth(title))}`;

const reasonLabels: Record<string, string> = {
  checkin: '打卡 base check-in',
  group_bonus: '群内加成 group bonus',
  streak_bonus: '连续奖励 streak bonus',
  completion_bonus: '全勤奖励 completion bonus',
  make_up_fee: '补卡费用 make-up fee',
  redemption: '商城兑换 mall redemption',
  redemption_refund: '兑换退款 redemption refund',
  invite_reward: '邀请奖励 invite reward',
};

export function renderReport(r: DemoResult): string {
  const m = r.metrics;
  const out: string[] = [];
  const title = `漏斗报告 Funnel report · ${m.title} (#${r.cohort.id}, ${m.status})`;
  out.push('', '═'.repeat(displayWidth(title) + 4), `  ${title}`, '═'.repeat(displayWidth(title) + 4));

  out.push(heading('报名与留存 Enrolment'));
  out.push(table(
    ['指标 Metric', '值 Value'],
    [
      ['报名 Enrolled', String(m.enrolled)],
      ['在营 Active', String(m.active)],
      ['退出 Quits', `${m.quits} (${pct(m.quitRate)})`],
      ['群内验证 Group-verified members', String(m.groupVerifiedMembers)],
      ['打卡总数 Check-ins (incl. make-ups)', String(m.checkins)],
      ['全勤 Completed all 7 days', `${m.completed} (${pct(m.completionRate)})`],
    ],
    ['l', 'r'],
  ));

  out.push(heading('入口 Entry funnel (opens of posters and cards -> visitors -> joined -> first check-in)'));
  const sourceNames: Record<string, string> = { poster: '海报 poster', card: '卡片 card', timeline: '朋友圈 Moments', group: '群聊 group card', all: '合计 total' };
  out.push(table(
    ['来源 Source', '打开 Opens', '访客 Visitors', '加入 Joined', '首次打卡 First check-in'],
    [...m.entry.sources, m.entry.total].map((x) => [sourceNames[x.source] ?? x.source, String(x.opens), String(x.visitors), String(x.joins), String(x.firstCheckins)]),
    ['l', 'r', 'r', 'r', 'r'],
  ));
  out.push(`  入口转化 Entry rate (first check-ins / visitors): ${pct(m.entry.entryRate)}`);
  for (const [i, x] of m.topInviters.entries()) {
    out.push(`  邀请榜 #${i + 1} ${x.member.nickname}: invited ${x.invited}, joined ${x.joined}, checked in ${x.checkedIn}, earned +${x.rewardPoints}`);
  }

  out.push(heading('每日打卡率 Daily check-in rate (of enrolled)'));
  for (const d of m.checkinRateByDay) {
    out.push(`  第${d.day}天 Day ${d.day}  ${bar(d.rate)}  ${padStart(`${d.checkins}/${m.enrolled}`, 5)}  ${padStart(pct(d.rate), 6)}`);
  }

  out.push(heading('最长连续天数 Longest streak'));
  const maxMembers = Math.max(1, ...m.streakDistribution.map((s) => s.members));
  for (const s of m.streakDistribution) {
    out.push(`  ${padEnd(`${s.longestStreak} 天 days`, 12)} ${padEnd('▇'.repeat(Math.round((s.members / maxMembers) * 20)), 20)} ${padStart(String(s.members), 2)}`);
  }

  out.push(heading('老师点评 Teacher reviews'));
  out.push(table(
    ['指标 Metric', '值 Value'],
    [
      ['点评覆盖率 Review coverage', pct(m.reviewCoverage)],
      ['点评时延中位数 Median review latency', duration(m.medianReviewLatencySeconds)],
    ],
    ['l', 'r'],
  ));

  out.push(heading('付费转化 Conversion offers'));
  const summaryRound = (n: number) => r.conversion.rounds.find((x) => x.round === n);
  out.push(table(
    ['轮次 Round', '价格 Price', '浏览 Views', '订单 Paid orders', '新付费 New payers', '转化率 Conv.', '收入 Revenue'],
    m.rounds.map((x) => [
      String(x.round),
      summaryRound(x.round)?.offer ? yuan(summaryRound(x.round)!.offer!.priceFen) : '—',
      String(x.offerViews),
      String(x.orders),
      String(x.newPayers),
      pct(x.conversionRate),
      yuan(x.revenueFen),
    ]).concat([['合计 Total', '', String(m.rounds.reduce((n, x) => n + x.offerViews, 0)), String(m.orders), String(m.payers), pct(m.conversionRate), yuan(m.revenueFen)]]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  ));
  out.push(`  客单价 Average order value: ${yuan(m.averageOrderValueFen)}    未支付订单 Unpaid (abandoned) orders: ${r.abandonedOrders}`);
  out.push(`  可解散 Disband-ready: ${r.readyBeforeRound3Closed.disbandReady} while round 3 was open → ${r.conversion.disbandReady} (${r.conversion.disbandReadyReason ?? '—'})`);

  out.push(heading('积分 Points (all members\' ledgers)'));
  const entries = [...r.points.byReason.entries()];
  const issued = entries.filter(([, v]) => v > 0).reduce((n, [, v]) => n + v, 0);
  const spent = entries.filter(([, v]) => v < 0).reduce((n, [, v]) => n - v, 0);
  out.push(table(
    ['原因 Reason', '积分 Points'],
    entries
      .sort((a, b) => b[1] - a[1])
      .map(([reason, v]) => [reasonLabels[reason] ?? reason, (v > 0 ? '+' : '') + String(v)])
      .concat([['发放 Issued (incl. refunds)', `+${issued}`], ['消耗 Spent', `-${spent}`], ['余额合计 Outstanding balance', String(r.points.balances)]]),
    ['l', 'r'],
  ));
  out.push(r.points.ledgerMismatches.length === 0
    ? '  ✓ 每位成员余额 == 流水合计 every balance equals the sum of its ledger lines'
    : `  ✗ ledger mismatches: ${r.points.ledgerMismatches.join('; ')}`);

  out.push(heading('积分商城 Points mall'));
  if (!r.mall.available) {
    out.push(`  ⚠ 商城步骤已跳过 mall steps skipped: ${r.mall.note ?? 'not usable'}`);
  } else {
    const byState = (state: string) => r.mall.redemptions.filter((x) => x.state === state).length;
    out.push(table(
      ['商品 Product', '价格 Price', '剩余库存 Stock left', '兑换 Redeemed'],
      r.mall.products
        .slice()
        .sort((a, b) => a.id - b.id)
        .map((p) => [
          p.name,
          `${p.pointsPrice} pts`,
          String(p.stock),
          String(r.mall.redemptions.filter((x) => x.productName === p.name && x.state !== 'cancelled').reduce((n, x) => n + x.quantity, 0)),
        ]),
      ['l', 'r', 'r', 'r'],
    ));
    out.push(`  兑换单 Redemptions: ${r.mall.redemptions.length} (待发货 pending ${byState('pending')}, 已完成 fulfilled ${byState('fulfilled')}, 已取消 cancelled ${byState('cancelled')}); points spent net ${r.mall.redemptions.filter((x) => x.state !== 'cancelled').reduce((n, x) => n + x.pointsTotal, 0)}`);
  }

  out.push(heading('解散与续营 Disband and the next cohort'));
  out.push(table(
    ['指标 Metric', '值 Value'],
    [
      ['解散时成员 Members at disband', String(r.disband.members)],
      ['已付费 Converted', String(r.disband.converted)],
      ['邀请数 Invitations sent', String(r.disband.invited)],
      ['收到邀请 Invitations seen in inbox', String(r.invitationsSeen)],
      [`加入第 2 期 Joined #${r.nextCohort.id} (${r.nextCohort.startDate})`, String(r.joinedNext)],
    ],
    ['l', 'r'],
  ));

  out.push(heading('预期的拒绝 Expected refusals (correct behaviour)'));
  for (const line of r.expected) out.push(`  ✓ ${line}`);

  out.push(heading('成员 Cast'));
  out.push(table(
    ['成员 Member', '类型 Persona', '打卡 Days', '补卡 Make-ups', '最长 Longest', '积分 Balance', '付费 Paid'],
    r.personas.map((p) => [p.persona.name, p.persona.kind, String(p.days), String(p.makeUps), String(p.longest), String(p.balance), p.paid ? '✓' : '']),
    ['l', 'l', 'r', 'r', 'r', 'r', 'l'],
  ));
  return out.join('\n');
}
