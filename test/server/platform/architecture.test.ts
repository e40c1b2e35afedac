import { promises as fs } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * platform/ (database, HTTP, storage, WeChat, jobs…) knows no module: modules hand it their
 * entities and role checks. Every import under server/src/platform — static, type-only, dynamic or
 * require — must stay out of server/src/modules and the files that compose the modules.
 */
const serverSrc = path.resolve(__dirname, '../../../server/src');
const platformDir = path.join(serverSrc, 'platform');
const forbidden = [path.join(serverSrc, 'modules'), path.join(serverSrc, 'modules.ts'), path.join(serverSrc, 'app.ts'), path.join(serverSrc, 'entities.ts')];

async function tsFilesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

/** What `file` imports, resolved to paths (relative specifiers only: packages are not modules). */
function importsOf(file: string, text: string): string[] {
  const found = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  // Dynamic imports in any position, as a second look.
  for (const match of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1]);
  return [...new Set(found.filter((name) => name.startsWith('.')).map((name) => path.resolve(path.dirname(file), name)))];
}

const isForbidden = (target: string) =>
  forbidden.some((place) => target === place || target === place.replace(/\.ts$/, '') || target.startsWith(place + path.sep));

it('no file under server/src/platform imports a module', async () => {
  const files = await tsFilesUnder(platformDir);
  expect(files.length).toBeGreaterThan(30);
  const offending: string[] = [];
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8');
    for (const target of importsOf(file, text)) {
      if (isForbidden(target)) offending.push(`${path.relative(serverSrc, file)} -> ${path.relative(serverSrc, target)}`);
    }
  }
  expect(offending).toEqual([]);
});

it('would catch every kind of import of a module', () => {
  const file = path.join(platformDir, 'http', 'example.ts');
  const kinds = [
    "import { hasRole } from '../../modules/identity/roles';",
    "import type { Member } from '../../modules/identity/member.entity';",
    "export { Checkin } from '../../modules/checkin/checkin.entity';",
    "const { x } = require('../../modules/checkin/streak');",
    "type T = typeof import('../../modules/checkin/streak');",
    "import { createModules } from '../../modules';",
    "import { entities } from '../../entities';",
  ];
  for (const line of kinds) expect(importsOf(file, line).filter(isForbidden)).toHaveLength(1);
  expect(importsOf(file, "import { z } from 'zod'; import { AppError } from './errors';").filter(isForbidden)).toEqual([]);
});
