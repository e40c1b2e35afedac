import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The demo's own API server: a child process on a fresh SQLite database in a temporary directory. */
export interface DemoServer {
  baseUrl: string;
  dataDir: string;
  /** What the server wrote to stdout/stderr (its warnings and errors), for failure reports. */
  output(): string;
  /** SIGTERM, wait for it to exit (SIGKILL after a timeout), then remove the temporary directory. */
  stop(): Promise<void>;
}

export const OPERATOR_OPENID = 'demo-operator';
const repoRoot = path.resolve(__dirname, '..', '..');

/** A port nobody listens on right now (the kernel picks it; we close it again and hand it to the server). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The server's environment: ours minus anything that would point it at MySQL or real WeChat. */
function serverEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'DATABASE_URL' || key.startsWith('WECHAT') || key.startsWith('CONTENT_') || key === 'TZ') continue;
    env[key] = value;
  }
  return {
    ...env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    BUSINESS_TZ: 'Asia/Shanghai',
    ALLOW_TEST_CLOCK: '1',
    OPERATOR_OPENIDS: OPERATOR_OPENID,
    WECHAT_MODE: 'fake',
    JOBS_ENABLED: '0',
    LOG_LEVEL: 'warn',
  };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server exited (${child.exitCode ?? child.signalCode}) before answering /healthz:\n${output()}`);
    }
    try {
      const answer = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (answer.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The server did not answer /healthz within ${timeoutMs / 1000} s:\n${output()}`);
}

export async function startServer(): Promise<DemoServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'checkin-demo-'));
  let child: ChildProcess | undefined;
  let log = '';
  const output = () => log.trim() || '(no output)';
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const done = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'server/src/main.ts'], {
      cwd: repoRoot,
      env: serverEnv(dataDir, port),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, child, output, 30_000);
    return { baseUrl, dataDir, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
