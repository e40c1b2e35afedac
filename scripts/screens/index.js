#!/usr/bin/env node
/**
 * `npm run screens [-- <scene name filter>]`: renders every Mini Program page in the states that matter and
 * photographs each inside a drawn WeChat frame, to docs/screens/<page>-<state>.png (375×812, DPR 2), then
 * writes the gallery docs/screens/README.md.
 *
 * 1. jest runs test/screens/scenes/*.screens.ts (one page per file, miniprogram-simulate with WeChat's WXML
 *    compiler and the real Vant components); each state writes its HTML to a temp folder.
 * 2. Debian's Chromium (playwright-core, never a downloaded browser) photographs each one.
 * A page that fails to render, a picture that cannot be taken, an image that does not load, or text that reads
 * below WCAG AA contrast (4.5:1; 3:1 when large) fails the run.
 */
/* global document, window */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { lowContrastText } = require('./audit');
const { documentFor } = require('./frame');
const { writeGallery } = require('./gallery');

const ROOT = path.resolve(__dirname, '../..');
const OUT_DIR = path.join(ROOT, 'docs/screens');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--hide-scrollbars', '--font-render-hinting=none'];
/** Pages photographed at once (2 cores: more only queues). */
const PARALLEL = 3;

function renderScenes(workDir, filter) {
  const jest = require.resolve('jest/bin/jest', { paths: [ROOT] });
  const args = [jest, '-c', 'test/screens/jest.config.js', '--silent'];
  if (process.env.CI) args.push('--ci');
  if (filter) args.push(filter);
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, SCREENS_OUT: workDir } });
  if (result.status !== 0) throw new Error('rendering the scenes failed (see the jest output above)');
  return fs
    .readdirSync(workDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(fs.readFileSync(path.join(workDir, file), 'utf8')));
}

async function photograph(captures, workDir) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium fonts-noto-cjk`);
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
    const queue = [...captures];
    const problems = [];
    const worker = async () => {
      const page = await context.newPage();
      const failed = [];
      page.on('requestfailed', (request) => failed.push(request.url()));
      for (let capture = queue.shift(); capture; capture = queue.shift()) {
        failed.length = 0;
        const htmlFile = path.join(workDir, `${capture.id}.html`);
        fs.writeFileSync(htmlFile, documentFor(capture));
        await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready);
        // Canvas drawings with images are replayed once their images have loaded.
        await page.evaluate(() => window.canvasesDrawn);
        await page.screenshot({ path: path.join(OUT_DIR, `${capture.id}.png`), fullPage: capture.fullPage });
        if (failed.length) problems.push(`${capture.id}: could not load ${failed.join(', ')}`);
        for (const low of await lowContrastText(page)) {
          problems.push(`${capture.id}: "${low.text}" reads at ${low.ratio}:1 (${low.color} on ${low.background}, ${low.fontSize}px); small text needs 4.5:1`);
        }
      }
      await page.close();
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    if (problems.length) throw new Error(problems.join('\n'));
  } finally {
    await browser.close();
  }
}

async function main() {
  const started = Date.now();
  const filter = process.argv[2];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'screens-'));
  try {
    const captures = renderScenes(workDir, filter);
    if (!captures.length) throw new Error('no scene rendered anything');
    const rendered = Date.now();
    fs.mkdirSync(OUT_DIR, { recursive: true });
    await photograph(captures, workDir);
    // A full run owns the folder: pictures of states that no longer exist go; the gallery is rewritten.
    if (!filter) {
      const ids = new Set(captures.map((c) => `${c.id}.png`));
      for (const file of fs.readdirSync(OUT_DIR)) if (file.endsWith('.png') && !ids.has(file)) fs.rmSync(path.join(OUT_DIR, file));
      writeGallery(OUT_DIR, captures);
    }
    const seconds = (ms) => (ms / 1000).toFixed(1);
    console.log(`screens: ${captures.length} pictures in ${seconds(Date.now() - started)}s (render ${seconds(rendered - started)}s, photograph ${seconds(Date.now() - rendered)}s) -> docs/screens/`);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
