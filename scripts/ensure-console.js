#!/usr/bin/env node
/**
 * `npm start` runs this before the server: builds the web console into dist/console when it is
 * missing or older than its sources, so `npm install && npm start` serves /console/ on a fresh clone.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const built = path.join(ROOT, 'dist', 'console', 'index.html');
const sources = [path.join(ROOT, 'console'), path.join(ROOT, 'server', 'client-types')];

function newestIn(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
const changedAt = Math.max(...sources.filter((dir) => fs.existsSync(dir)).map(newestIn));
if (builtAt === 0 || changedAt > builtAt) {
  console.log(builtAt === 0 ? 'Building the web console (dist/console) …' : 'The web console changed since its last build; rebuilding …');
  const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [ROOT] })), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', 'console/vite.config.mts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
