#!/usr/bin/env node
/**
 * `npm start`: builds only what is stale, then runs the built server in this same process.
 * - The server (dist/server) is compiled by tsc only when a file under server/src or a tsconfig was
 *   added, removed or changed since the last build (a fingerprint of their paths, sizes and times
 *   is kept in dist/.server-build-fingerprint); tsc is incremental, so a rebuild redoes only what
 *   changed. A start with nothing changed skips tsc (about 20 s) altogether.
 * - The web console is built when missing or older than its sources (ensure-console.js).
 * A fresh clone has neither, so `npm install && npm start` builds both, then serves.
 * In a deployment that ships dist/, `npm run start:built` runs the built server without any check.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const MAIN = path.join(DIST, 'server', 'src', 'main.js');
const FINGERPRINT_FILE = path.join(DIST, '.server-build-fingerprint');
const INPUTS = [path.join(ROOT, 'server', 'src'), path.join(ROOT, 'server', 'tsconfig.build.json'), path.join(ROOT, 'tsconfig.json')];

/** Every input file as `path size mtime`, sorted: any edit, addition or removal changes it. */
function fingerprintOfInputs() {
  const lines = [];
  const visit = (file) => {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(file)) visit(path.join(file, name));
    } else {
      lines.push(`${path.relative(ROOT, file)} ${stat.size} ${Math.trunc(stat.mtimeMs)}`);
    }
  };
  INPUTS.forEach(visit);
  return crypto.createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

function buildServerIfStale() {
  const fingerprint = fingerprintOfInputs();
  const built = fs.existsSync(MAIN) && fs.existsSync(FINGERPRINT_FILE) ? fs.readFileSync(FINGERPRINT_FILE, 'utf8').trim() : '';
  if (built === fingerprint) return;
  console.log(built ? 'The server changed since its last build; compiling what changed …' : 'Compiling the server (dist/server) …');
  // Without the built server, tsc's incremental record must go too, or tsc would think it is all built.
  if (!fs.existsSync(MAIN)) fs.rmSync(path.join(DIST, '.server.tsbuildinfo'), { force: true });
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  execFileSync(process.execPath, [tsc, '-p', 'server/tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  fs.writeFileSync(FINGERPRINT_FILE, `${fingerprint}\n`);
}

buildServerIfStale();
require('./ensure-console');
require(MAIN);
