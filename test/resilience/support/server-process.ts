import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');

export interface ServerProcess {
  url: string;
  process: ChildProcess;
  /** Lines the server wrote to stdout/stderr (JSON logs), for failure messages. */
  output: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `server/src/main.ts` as its own process and waits until it answers /healthz. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'server/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WECHAT_MODE: 'fake', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('\n')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        const match = /"port":(\d+)/.exec(line);
        if (match && line.includes('API listening')) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.join('\n')}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    process: child,
    output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

export interface JsonAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  ms: number;
}

/** One JSON request; network failures come back as status 0. */
export async function call(base: string, method: string, route: string, body?: unknown, token?: string): Promise<JsonAnswer> {
  const started = Date.now();
  try {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, ms: Date.now() - started };
  } catch {
    return { status: 0, body: null, ms: Date.now() - started };
  }
}

export async function expectOk(answer: Promise<JsonAnswer> | JsonAnswer, status = 200): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const resolved = await answer;
  if (resolved.status !== status) throw new Error(`expected ${status}, got ${resolved.status}: ${JSON.stringify(resolved.body)}`);
  return resolved.body;
}
