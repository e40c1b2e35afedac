/** Reads a V8 .cpuprofile (node --cpu-prof) and sums self time per function and per area. */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './support';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function areaOf(url: string, name: string): string {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'gc';
  if (name === '(program)') return 'program';
  if (!url) return 'native';
  if (url.includes('/node_modules/typeorm/')) return 'typeorm';
  if (url.includes('/node_modules/mysql2/')) return 'mysql2';
  if (url.includes('/node_modules/zod/')) return 'zod';
  if (url.includes('/node_modules/koa') || url.includes('/node_modules/@koa/')) return 'koa';
  if (url.includes('/node_modules/')) return 'other packages';
  if (url.includes('/server/src/')) return 'app code';
  if (url.startsWith('node:')) return 'node core';
  return 'other';
}

export function hottestFunctions(file: string, limit: number) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((s, x) => s + x, 0);
  const idle = [...self.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((s, [, x]) => s + x, 0);
  const busy = total - idle;

  const perFunction = new Map<string, { name: string; where: string; time: number; area: string }>();
  const perArea = new Map<string, number>();
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${path.relative(ROOT, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const entry = perFunction.get(key) ?? { name, where, time: 0, area: areaOf(url, name) };
    entry.time += time;
    perFunction.set(key, entry);
    const area = areaOf(url, name);
    perArea.set(area, (perArea.get(area) ?? 0) + time);
  }
  const percentOfBusy = (t: number) => (busy === 0 ? 0 : (t / busy) * 100);
  return {
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    top: [...perFunction.values()]
      .filter((f) => f.name !== '(idle)')
      .sort((a, b) => b.time - a.time)
      .slice(0, limit)
      .map((f) => ({ name: f.name, where: f.where, area: f.area, selfPercent: percentOfBusy(f.time) })),
    byArea: [...perArea.entries()]
      .filter(([area]) => area !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([area, time]) => ({ area, percent: percentOfBusy(time) })),
  };
}
