/**
 * Mini Program: package sizes from WeChat's checkCodeQuality (on a fresh build in a temporary copy of
 * the project, so the working tree's compiled files are left alone), and the largest setData payload
 * per page, measured in miniprogram-simulate under jest (test/bench/miniprogram-setdata.bench.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log, ROOT } from '../support';

export interface SetDataFigure {
  page: string;
  scenario: string;
  calls: number;
  largestBytes: number;
  totalBytes: number;
  largestKeys: string[];
}

export interface MiniprogramResult {
  mainBytes?: number;
  packages: Array<{ name: string; bytes: number }>;
  failedQualityItems: string[];
  setData: SetDataFigure[];
  notes: string[];
}

/** A copy of what the build reads: the Mini Program sources, the API types, its configs and scripts; node_modules linked. */
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-miniprogram-'));
  const skip = (source: string) => {
    const relative = path.relative(path.join(ROOT, 'miniprogram'), source);
    return relative.startsWith('miniprogram_npm') || (source.endsWith('.js') && !relative.startsWith('..'));
  };
  fs.cpSync(path.join(ROOT, 'miniprogram'), path.join(dir, 'miniprogram'), { recursive: true, filter: (source) => !skip(source) });
  fs.cpSync(path.join(ROOT, 'scripts'), path.join(dir, 'scripts'), { recursive: true });
  // The Mini Program's API types name the server's generated OpenAPI types.
  fs.cpSync(path.join(ROOT, 'server', 'client-types'), path.join(dir, 'server', 'client-types'), { recursive: true });
  for (const file of ['package.json', 'project.config.json', 'tsconfig.json']) fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

export async function benchMiniprogram(): Promise<MiniprogramResult> {
  const notes: string[] = [];
  const result: MiniprogramResult = { packages: [], failedQualityItems: [], setData: [], notes };

  const dir = projectCopy();
  try {
    log('miniprogram: building a copy of the project');
    const build = spawnSync(process.execPath, ['scripts/build-miniprogram.js'], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
    if (build.status !== 0) {
      notes.push(`build-miniprogram.js failed (${build.status}): ${(build.stderr || build.stdout).trim().split('\n').slice(-5).join(' | ')}`);
    } else {
      log('miniprogram: checkCodeQuality');
      const check = spawnSync(process.execPath, [path.join(__dirname, '..', 'miniprogram-sizes.cjs'), dir], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
      const line = check.stdout.trim().split('\n').pop() ?? '';
      if (check.status !== 0 || !line.startsWith('{')) {
        notes.push(`checkCodeQuality failed: ${(check.stderr || check.stdout).trim().split('\n').slice(-3).join(' | ')}`);
      } else {
        const { sizes, failed } = JSON.parse(line) as { sizes: Record<string, number> | null; failed: string[] };
        result.failedQualityItems = failed;
        if (failed.length) notes.push(`checkCodeQuality items not passing: ${failed.join(', ')}`);
        for (const [name, bytes] of Object.entries(sizes ?? {})) {
          const label = name === '__APP__' ? 'main package' : name === '__FULL__' ? 'all packages' : `subpackage ${name}`;
          result.packages.push({ name: label, bytes });
        }
        result.mainBytes = sizes?.__APP__;
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  log('miniprogram: setData payloads (jest + miniprogram-simulate)');
  const out = path.join(os.tmpdir(), `bench-setdata-${process.pid}.json`);
  const jest = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest', { paths: [ROOT] }), '-c', path.join(__dirname, '..', 'jest.setdata.config.js'), '--silent'],
    { cwd: ROOT, encoding: 'utf8', timeout: 240_000, env: { ...process.env, BENCH_SETDATA_OUT: out } },
  );
  if (fs.existsSync(out)) {
    result.setData = JSON.parse(fs.readFileSync(out, 'utf8')) as SetDataFigure[];
    fs.rmSync(out);
  }
  if (jest.status !== 0) {
    notes.push(`some setData scenarios failed: ${(jest.stderr || '').split('\n').filter((l) => /✕|●/.test(l)).slice(0, 8).join(' | ')}`);
  }
  return result;
}
