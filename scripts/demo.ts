/**
 * `npm run demo`: starts a fresh API server (temporary SQLite database, fake WeChat, test clock) and
 * plays a whole 7-day cohort through the HTTP API — an operator, a teacher and 20 members with
 * different habits, reviews, mall redemptions, three offer rounds, disbanding into the next cohort —
 * then prints the funnel report. Deterministic: the same story and the same numbers on every run.
 */
import { Api, UnexpectedAnswer } from './demo/api';
import { renderReport } from './demo/report';
import { playCohort } from './demo/scenario';
import { startServer, type DemoServer } from './demo/server';

async function main(): Promise<number> {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.log('打卡积分 demo · starting a fresh server (SQLite in a temp dir, fake WeChat, test clock)…');
  let server: DemoServer | undefined;
  let interrupted = false;
  const stopOnSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    console.error(`\n${signal}: stopping the demo server`);
    void (server ? server.stop() : Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    server = await startServer();
    console.log(`server up at ${server.baseUrl} after ${elapsed()}\n`);
    const api = new Api(server.baseUrl);
    const result = await playCohort(api, (line) => console.log(line));
    console.log(renderReport(result));
    if (!result.mall.available) {
      console.log(`\n⚠ 注意 Note: the points mall was not usable, its steps were skipped: ${result.mall.note}`);
    }
    console.log(`\n完成 Done: ${api.calls} API calls in ${elapsed()}.`);
    return 0;
  } catch (error) {
    if (interrupted) return 130;
    if (error instanceof UnexpectedAnswer) {
      console.error(`\n✗ Unexpected answer from the API\n  ${error.method} ${error.path}\n  status ${error.status} (expected ${error.expected})\n  body   ${error.body}`);
    } else {
      console.error('\n✗ The demo failed:', error);
    }
    if (server) console.error(`\nServer output:\n${server.output()}`);
    return 1;
  } finally {
    await server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
