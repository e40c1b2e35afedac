/**
 * Redemption rush (the mall issue's scenario): N members who can each afford exactly one item, each
 * sending the same redemption twice at once (same requestId), stock N/2. Everything goes through
 * HTTP at once; then the books are checked: stock, one redemption per winner, balance = ledger sum.
 */
import type mysql from 'mysql2/promise';
import os from 'node:os';
import { getJson, log, profileDuring, seedMembers, sendJson, summarize, type BenchDatabase, type BenchServer, type Timing } from '../support';

export interface RushResult {
  members: number;
  stock: number;
  price: number;
  requests: number;
  wallMs: number;
  /** CPU time the server process used during the rush (less noisy than the wall time on a shared machine). */
  serverCpuMs: number;
  /** Load average (1 min) when the rush ended. */
  loadAfter: number;
  latency: Timing;
  statuses: Record<string, number>;
  outcomes: Record<string, number>;
  finalStock: number;
  redemptions: number;
  redeemedMembers: number;
  /** The SQL statements behind one redemption of each kind (after the rush, one member at a time). */
  statements: { bought: string[]; replayed: string[]; soldOut: string[] };
  /** Members whose two requests got different redemptions (should be 0). */
  twinsDisagreeing: number;
  balanceMismatches: number;
  negativeBalances: number;
  correct: boolean;
}

const PRICE = 100;

export async function benchRush(db: BenchDatabase, server: BenchServer, options: { members: number }): Promise<RushResult> {
  const { pool } = db;
  const stock = Math.floor(options.members / 2);
  const operator = await seedMembers(pool, 'rush-op', 1, { roles: ['operator'] });
  const members = await seedMembers(pool, 'rush', options.members, { balance: PRICE });
  const created = await sendJson(`${server.baseUrl}/api/v1/mall/products`, 'POST', operator.tokens[0], {
    name: 'Bench mug', description: 'One per member', pointsPrice: PRICE, stock, kind: 'virtual',
  });
  if (created.status !== 201) throw new Error(`POST /mall/products answered ${created.status}: ${JSON.stringify(created.body)}`);
  const productId = Number(created.body.id);

  log(`rush: ${options.members * 2} redemptions at once`);
  const fire = async (i: number) => {
    const startedAt = performance.now();
    const answer = await sendJson(`${server.baseUrl}/api/v1/mall/redemptions`, 'POST', members.tokens[i], {
      productId, quantity: 1, requestId: `rush-${members.ids[i]}-once`,
    });
    return { i, ms: performance.now() - startedAt, ...answer };
  };
  const cpuBefore = await serverCpuMs(server);
  const started = performance.now();
  const { result: answers } = await profileDuring(server, 'rush', () => Promise.all(members.ids.flatMap((_, i) => [fire(i), fire(i)])));
  const wallMs = Math.round(performance.now() - started);
  const serverCpuMsUsed = Math.round((await serverCpuMs(server)) - cpuBefore);

  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  for (const a of answers) {
    statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    const outcome = a.status < 300 ? (a.body.replayed ? 'replayed' : 'redeemed') : String(a.body?.error?.code ?? a.status);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  let twinsDisagreeing = 0;
  for (let i = 0; i < answers.length; i += 2) {
    const [a, b] = [answers[i], answers[i + 1]];
    const idA = a.status < 300 ? a.body.redemption.id : a.body?.error?.code;
    const idB = b.status < 300 ? b.body.redemption.id : b.body?.error?.code;
    if (idA !== idB) twinsDisagreeing++;
  }

  const statements = await probeStatements(db, server, productId);

  const [[product]] = await pool.query<mysql.RowDataPacket[]>('SELECT stock FROM mall_product WHERE id = ?', [productId]);
  const [[orders]] = await pool.query<mysql.RowDataPacket[]>(
    'SELECT COUNT(*) AS n, COUNT(DISTINCT member_id) AS members FROM mall_redemption WHERE product_id = ?',
    [productId],
  );
  const [books] = await pool.query<mysql.RowDataPacket[]>(`
    SELECT m.id, COALESCE(p.balance, 0) AS balance, COALESCE((SELECT SUM(l.delta) FROM points_ledger l WHERE l.member_id = m.id), 0) AS ledger
    FROM member m LEFT JOIN member_points p ON p.member_id = m.id`);
  const balanceMismatches = books.filter((row) => Number(row.balance) !== Number(row.ledger)).length;
  const negativeBalances = books.filter((row) => Number(row.balance) < 0).length;
  const finalStock = Number(product.stock);
  const redemptions = Number(orders.n);
  const redeemedMembers = Number(orders.members);
  const correct =
    finalStock === 0 && redemptions === stock && redeemedMembers === stock && balanceMismatches === 0 && negativeBalances === 0 &&
    twinsDisagreeing === 0 && (statuses['500'] ?? 0) === 0;
  return {
    members: options.members, stock, price: PRICE, requests: answers.length, wallMs, serverCpuMs: serverCpuMsUsed, loadAfter: Math.round(os.loadavg()[0] * 100) / 100, latency: summarize(answers.map((a) => a.ms)),
    statements, statuses, outcomes, finalStock, redemptions, redeemedMembers, twinsDisagreeing, balanceMismatches, negativeBalances, correct,
  };
}

/**
 * The statements of one purchase (a fresh member, a product of its own with stock), of its replay,
 * and of a request for the rush's sold-out product, each recorded alone.
 */
async function probeStatements(db: BenchDatabase, server: BenchServer, soldOutProductId: number): Promise<RushResult['statements']> {
  const operator = await seedMembers(db.pool, 'rush-probe-op', 1, { roles: ['operator'] });
  const buyer = await seedMembers(db.pool, 'rush-probe', 1, { balance: PRICE * 2 });
  const created = await sendJson(`${server.baseUrl}/api/v1/mall/products`, 'POST', operator.tokens[0], {
    name: 'Bench probe mug', description: 'For counting statements', pointsPrice: PRICE, stock: 5, kind: 'virtual',
  });
  const productId = Number(created.body.id);
  await getJson(`${server.baseUrl}/api/v1/mall/products/${productId}`, buyer.tokens[0]); // the token is cached, as in the rush's second half
  const recorded = async (body: Record<string, unknown>, expected: number) => {
    await sendJson(`${server.baseUrl}/bench/query-log?on=1`, 'POST', null, {});
    const answer = await sendJson(`${server.baseUrl}/api/v1/mall/redemptions`, 'POST', buyer.tokens[0], body);
    const log = await sendJson(`${server.baseUrl}/bench/query-log?on=0`, 'POST', null, {});
    if (answer.status !== expected) throw new Error(`statement probe answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return (log.body as { statements: string[] }).statements;
  };
  const once = { productId, quantity: 1, requestId: 'rush-probe-once' };
  const bought = await recorded(once, 201);
  const replayed = await recorded(once, 201);
  const soldOut = await recorded({ productId: soldOutProductId, quantity: 1, requestId: 'rush-probe-sold-out' }, 409);
  return { bought, replayed, soldOut };
}

async function serverCpuMs(server: BenchServer): Promise<number> {
  return ((await getJson(`${server.baseUrl}/bench/cpu`, '')).body as { ms: number }).ms;
}
