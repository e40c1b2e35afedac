import { randomBytes } from 'node:crypto';
import { In, IsNull, type DataSource } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/database-errors';
import { withTransaction } from '../../platform/db/transaction';
import { AppError, conflict, forbidden, notFound, validationFailed } from '../../platform/http/errors';
import { FakeWeChatPay, paymentNotConfigured, type PaymentNotice, type WeChatPay } from '../../platform/wechat/pay/wechat-pay';
import { Checkin } from '../checkin/checkin.entity';
import { Cohort, Enrollment } from '../cohort/cohort.entity';
import { cohortStatus } from '../cohort/cohort-rules';
import type { CohortService } from '../cohort/cohort.service';
import { Member } from '../identity/member.entity';
import { defaultOfferWindow, disbandReadiness, OFFER_DAYS_AFTER_END, offerWindowBounds, ORDER_PAYMENT_WINDOW_MS, offerRounds } from './conversion-rules';
import { Offer, OfferOrder, OfferView } from './conversion.entity';
import type { CreateOfferInput } from './conversion.dto';

export const toOfferDto = (offer: Offer) => ({
  id: offer.id,
  cohortId: offer.cohortId,
  round: offer.round,
  title: offer.title,
  description: offer.description,
  priceFen: offer.priceFen,
  originalPriceFen: offer.originalPriceFen,
  opensAt: offer.opensAt.toISOString(),
  closesAt: offer.closesAt.toISOString(),
  audience: offer.audience,
});

const toOrderDto = (order: OfferOrder) => ({
  id: order.id,
  offerId: order.offerId,
  outTradeNo: order.outTradeNo,
  amountFen: order.amountFen,
  state: order.state,
  createdAt: order.createdAt.toISOString(),
  paidAt: order.paidAt?.toISOString() ?? null,
});

export class ConversionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cohorts: CohortService,
    private readonly pay: WeChatPay,
    private readonly timeZone: string,
  ) {}

  paysFake(): boolean {
    return this.pay.mode === 'fake';
  }

  /** An operator publishes the offer of one round; the window defaults to DESIGN §4's days. */
  async createOffer(cohortId: number, input: CreateOfferInput) {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    if (cohort.disbandedAt) throw conflict('COHORT_DISBANDED', 'This cohort was disbanded; publish offers on a live cohort.');
    const window = defaultOfferWindow(cohort, input.round, this.timeZone);
    const opensAt = input.opensAt ? new Date(input.opensAt) : window.opensAt;
    const closesAt = input.closesAt ? new Date(input.closesAt) : window.closesAt;
    if (closesAt <= opensAt) {
      throw validationFailed('closesAt must be after opensAt.', [{ path: 'body.closesAt', message: 'must be after opensAt' }]);
    }
    const bounds = offerWindowBounds(cohort, this.timeZone);
    for (const [field, instant] of [['opensAt', opensAt], ['closesAt', closesAt]] as const) {
      if (instant < bounds.earliest || instant > bounds.latest) {
        const span = `${bounds.earliest.toISOString()} to ${bounds.latest.toISOString()}`;
        throw validationFailed(`${field} must lie between the cohort's first day and ${OFFER_DAYS_AFTER_END} days after its last (${span}).`, [
          { path: `body.${field}`, message: `must be within ${span}` },
        ]);
      }
    }
    if (input.originalPriceFen && input.originalPriceFen < input.priceFen) {
      throw validationFailed('originalPriceFen is the price before the discount: it cannot be lower than priceFen.', [
        { path: 'body.originalPriceFen', message: 'must be at least priceFen' },
      ]);
    }
    try {
      const inserted = await withTransaction(this.dataSource, (manager) =>
        manager.insert(Offer, {
          cohortId, round: input.round, title: input.title, description: input.description ?? null,
          priceFen: input.priceFen, originalPriceFen: input.originalPriceFen ?? null,
          opensAt, closesAt, audience: input.audience, createdAt: this.clock.now(),
        }),
      );
      return toOfferDto(await this.dataSource.manager.findOneByOrFail(Offer, { id: Number(inserted.identifiers[0].id) }));
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('OFFER_ROUND_EXISTS', `Round ${input.round} of this cohort already has an offer.`);
      throw error;
    }
  }

  async offersOf(cohortId: number) {
    if (!(await this.dataSource.manager.existsBy(Cohort, { id: cohortId }))) throw notFound('Cohort');
    const offers = await this.dataSource.manager.find(Offer, { where: { cohortId }, order: { round: 'ASC' } });
    return { items: offers.map(toOfferDto) };
  }

  /** The offers open to me right now; showing them records a view (once per member and offer). */
  async myOpenOffers(memberId: number) {
    const now = this.clock.now();
    const enrollments = await this.dataSource.manager.findBy(Enrollment, { memberId, leftAt: IsNull() });
    if (enrollments.length === 0) return { items: [] };
    const cohortIds = enrollments.map((e) => e.cohortId);
    const offers = (await this.dataSource.manager.find(Offer, { where: { cohortId: In(cohortIds) }, order: { id: 'ASC' } }))
      .filter((offer) => offer.opensAt <= now && now < offer.closesAt);
    const cohorts = await this.dataSource.manager.findBy(Cohort, { id: In(cohortIds), disbandedAt: IsNull() });
    const visible: Array<{ offer: Offer; cohort: Cohort }> = [];
    for (const offer of offers) {
      const cohort = cohorts.find((c) => c.id === offer.cohortId);
      if (!cohort || !(await this.isInAudience(offer, cohort, memberId))) continue;
      visible.push({ offer, cohort });
    }
    if (visible.length > 0) {
      await withTransaction(this.dataSource, (manager) =>
        manager.createQueryBuilder().insert().into(OfferView)
          .values(visible.map(({ offer }) => ({ offerId: offer.id, memberId, viewedAt: now })))
          .orIgnore().execute(),
      );
    }
    const paid = await this.dataSource.manager.findBy(OfferOrder, { memberId, state: 'paid', offerId: In(visible.map((v) => v.offer.id).concat(0)) });
    return {
      items: visible.map(({ offer, cohort }) => ({
        ...toOfferDto(offer),
        cohortTitle: cohort.title,
        purchased: paid.some((order) => order.offerId === offer.id),
      })),
    };
  }

  /**
   * Starts paying for an offer: an order and WeChat Pay's client parameters. An unpaid order of the
   * same member and offer still inside its payment window is reused, so tapping twice does not
   * create two charges.
   */
  async createOrder(memberId: number, offerId: number) {
    if (this.pay.mode === 'off') throw paymentNotConfigured();
    const now = this.clock.now();
    const offer = await this.dataSource.manager.findOneBy(Offer, { id: offerId });
    if (!offer) throw notFound('Offer');
    const cohort = await this.dataSource.manager.findOneByOrFail(Cohort, { id: offer.cohortId });
    if (cohort.disbandedAt || now < offer.opensAt || now >= offer.closesAt) {
      throw conflict('OFFER_CLOSED', 'This offer is not open now.');
    }
    if (!(await this.isInAudience(offer, cohort, memberId))) throw forbidden('This offer is for other members of the cohort.');
    const mine = await this.dataSource.manager.find(OfferOrder, { where: { memberId, offerId }, order: { id: 'DESC' } });
    if (mine.some((order) => order.state === 'paid')) throw conflict('ALREADY_PURCHASED', 'You have already bought this offer.');
    const reusable = mine.find((order) => order.state === 'created' && now.getTime() - order.createdAt.getTime() < ORDER_PAYMENT_WINDOW_MS - 60_000);
    if (reusable?.prepayParams) return { order: toOrderDto(reusable), payment: reusable.prepayParams, fakePayment: this.pay.mode === 'fake' };

    const member = await this.dataSource.manager.findOneByOrFail(Member, { id: memberId });
    const outTradeNo = `CO${now.getTime()}${randomBytes(6).toString('hex')}`.slice(0, 32);
    const payment = await this.pay.createJsapiPayment({
      outTradeNo,
      description: `${cohort.title} · ${offer.title}`.slice(0, 127),
      amountFen: offer.priceFen,
      payerOpenid: member.openid,
      expiresAt: new Date(now.getTime() + ORDER_PAYMENT_WINDOW_MS),
    });
    const inserted = await withTransaction(this.dataSource, (manager) =>
      manager.insert(OfferOrder, {
        offerId, cohortId: offer.cohortId, round: offer.round, memberId, outTradeNo, amountFen: offer.priceFen,
        state: 'created', prepayParams: { ...payment }, transactionId: null, createdAt: now, paidAt: null,
      }),
    );
    const order = await this.dataSource.manager.findOneByOrFail(OfferOrder, { id: Number(inserted.identifiers[0].id) });
    return { order: toOrderDto(order), payment, fakePayment: this.pay.mode === 'fake' };
  }

  /**
   * WeChat Pay's notification, verified and decrypted by the adapter. Notifications repeat: the
   * conditional update lets only the first one mark the order paid. A payment that arrives after
   * we expired or closed the order still counts: the member's money was taken.
   */
  async handlePaymentNotification(headers: Record<string, string | string[] | undefined>, rawBody: string) {
    const notice = this.pay.parseNotification(headers, rawBody);
    if (notice.tradeState !== 'SUCCESS') return { outTradeNo: notice.outTradeNo, changed: false };
    return this.markPaid(notice);
  }

  /**
   * Fake pay mode only: WeChat Pay "pays" the order by sending a genuine signed, encrypted
   * notification through the same path as a real one, so the whole flow runs offline.
   */
  async completeFakePayment(memberId: number, orderId: number) {
    if (!(this.pay instanceof FakeWeChatPay)) throw notFound('Route');
    const order = await this.dataSource.manager.findOneBy(OfferOrder, { id: orderId, memberId });
    if (!order) throw notFound('Order');
    const member = await this.dataSource.manager.findOneByOrFail(Member, { id: memberId });
    const notification = this.pay.simulatePaid({ outTradeNo: order.outTradeNo, amountFen: order.amountFen, payerOpenid: member.openid });
    await this.handlePaymentNotification(notification.headers, notification.body);
    return toOrderDto(await this.dataSource.manager.findOneByOrFail(OfferOrder, { id: orderId }));
  }

  async myOrders(memberId: number) {
    const orders = await this.dataSource.manager.find(OfferOrder, { where: { memberId }, order: { id: 'DESC' }, take: 50 });
    return { items: orders.map(toOrderDto) };
  }

  /** Unpaid orders: `expired` after the payment window, `closed` once the offer's window has closed. */
  async lapseUnpaidOrders(now: Date): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      await manager.createQueryBuilder().update(OfferOrder).set({ state: 'expired' })
        .where("state = 'created' AND created_at <= :cutoff", { cutoff: new Date(now.getTime() - ORDER_PAYMENT_WINDOW_MS) })
        .execute();
      const closedOffers = await manager.createQueryBuilder(Offer, 'o').select('o.id', 'id').where('o.closes_at <= :now', { now }).getRawMany<{ id: number }>();
      if (closedOffers.length > 0) {
        await manager.createQueryBuilder().update(OfferOrder).set({ state: 'closed' })
          .where("state = 'created' AND offer_id IN (:...ids)", { ids: closedOffers.map((o) => Number(o.id)) })
          .execute();
      }
    });
  }

  /** Per round: window, offer, views, paid orders, new payers, revenue; and whether to disband. */
  async summary(cohortId: number) {
    const cohort = await this.dataSource.manager.findOneBy(Cohort, { id: cohortId });
    if (!cohort) throw notFound('Cohort');
    const now = this.clock.now();
    const offers = await this.dataSource.manager.findBy(Offer, { cohortId });
    const views: Array<{ round: number; n: string }> = await this.dataSource.manager
      .createQueryBuilder(OfferView, 'v').innerJoin(Offer, 'o', 'o.id = v.offer_id')
      .select('o.round', 'round').addSelect('COUNT(*)', 'n')
      .where('o.cohort_id = :cohortId', { cohortId }).groupBy('o.round').getRawMany();
    const paid: Array<{ round: number; orders: string; revenue: string }> = await this.dataSource.manager
      .createQueryBuilder(OfferOrder, 'p').select('p.round', 'round').addSelect('COUNT(*)', 'orders').addSelect('SUM(p.amount_fen)', 'revenue')
      .where("p.cohort_id = :cohortId AND p.state = 'paid'", { cohortId }).groupBy('p.round').getRawMany();
    const firstRounds: Array<{ round: number; n: string }> = await this.dataSource.manager
      .createQueryBuilder()
      .select('f.first_round', 'round').addSelect('COUNT(*)', 'n')
      .from((qb) => qb.subQuery().select('p.member_id', 'member_id').addSelect('MIN(p.round)', 'first_round')
        .from(OfferOrder, 'p').where("p.cohort_id = :cohortId AND p.state = 'paid'", { cohortId }).groupBy('p.member_id'), 'f')
      .setParameter('cohortId', cohortId)
      .groupBy('f.first_round').getRawMany();

    const rounds = offerRounds.map((round) => {
      const offer = offers.find((o) => o.round === round) ?? null;
      const window = offer ? { opensAt: offer.opensAt, closesAt: offer.closesAt } : defaultOfferWindow(cohort, round, this.timeZone);
      const paidRow = paid.find((p) => Number(p.round) === round);
      return {
        round,
        opensAt: window.opensAt.toISOString(),
        closesAt: window.closesAt.toISOString(),
        closesAtDate: window.closesAt,
        offer: offer ? toOfferDto(offer) : null,
        views: Number(views.find((v) => Number(v.round) === round)?.n ?? 0),
        paidOrders: Number(paidRow?.orders ?? 0),
        newPayers: Number(firstRounds.find((f) => Number(f.round) === round)?.n ?? 0),
        revenueFen: Number(paidRow?.revenue ?? 0),
      };
    });
    const readiness = cohort.disbandedAt
      ? { ready: false, code: null, round: null, reason: null }
      : disbandReadiness(rounds.map((r) => ({ round: r.round, closesAt: r.closesAtDate, newPayers: r.newPayers })), now);
    return {
      cohortId,
      status: cohortStatus(cohort, this.cohorts.today()),
      disbandReady: readiness.ready,
      disbandReadyReason: readiness.reason,
      disbandReadyCode: readiness.code,
      disbandReadyRound: readiness.round,
      rounds: rounds.map(({ closesAtDate: _closesAt, ...round }) => round),
    };
  }

  private async markPaid(notice: PaymentNotice) {
    const order = await this.dataSource.manager.findOneBy(OfferOrder, { outTradeNo: notice.outTradeNo });
    if (!order) throw new AppError(404, 'ORDER_NOT_FOUND', `No order ${notice.outTradeNo}.`);
    if (order.amountFen !== notice.amountFen) {
      throw new AppError(400, 'PAYMENT_AMOUNT_MISMATCH', `Order ${order.outTradeNo} is ${order.amountFen} fen but ${notice.amountFen} fen were paid.`);
    }
    const changed = await withTransaction(this.dataSource, async (manager) => {
      const result = await manager.createQueryBuilder().update(OfferOrder)
        .set({ state: 'paid', paidAt: this.clock.now(), transactionId: notice.transactionId })
        .where("out_trade_no = :outTradeNo AND state <> 'paid'", { outTradeNo: notice.outTradeNo })
        .execute();
      return result.affected === 1;
    });
    return { outTradeNo: notice.outTradeNo, changed };
  }

  /** Offers whose window is open now, on cohorts not yet disbanded. */
  async openOffers(now: Date): Promise<Offer[]> {
    return this.dataSource.manager
      .createQueryBuilder(Offer, 'o')
      .innerJoin(Cohort, 'c', 'c.id = o.cohort_id AND c.disbanded_at IS NULL')
      .where('o.opens_at <= :now AND o.closes_at > :now', { now })
      .getMany();
  }

  /** The members an offer is for: everyone enrolled, or those who checked in every day. */
  async audienceOf(offer: Offer): Promise<number[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(Enrollment, 'e')
      .select('e.member_id', 'memberId')
      .where('e.cohort_id = :cohortId AND e.left_at IS NULL', { cohortId: offer.cohortId });
    if (offer.audience === 'finishers') {
      query.andWhere(
        '(SELECT COUNT(*) FROM checkin c WHERE c.cohort_id = e.cohort_id AND c.member_id = e.member_id) >= ' +
          '(SELECT k.duration_days FROM cohort k WHERE k.id = e.cohort_id)',
      );
    }
    return (await query.getRawMany<{ memberId: number }>()).map((row) => Number(row.memberId));
  }

  private async isInAudience(offer: Offer, cohort: Cohort, memberId: number): Promise<boolean> {
    const enrollment = await this.dataSource.manager.findOneBy(Enrollment, { cohortId: offer.cohortId, memberId });
    if (!enrollment || enrollment.leftAt) return false;
    if (offer.audience === 'all') return true;
    return (await this.dataSource.manager.countBy(Checkin, { cohortId: offer.cohortId, memberId })) >= cohort.durationDays;
  }
}
