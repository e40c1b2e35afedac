#!/usr/bin/env node
/**
 * Draws the tab bar icons (miniprogram/images/tab/*.png, 81×81 as WeChat recommends) from Vant's icon font in
 * @vant/icons, in the tab bar's grey and green. Run once when a tab or a colour changes; the PNGs are committed.
 */
/* global document */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const OUT = path.resolve(__dirname, '../miniprogram/images/tab');
/** tab -> Vant icon code point (home-o, gift-o, user-o). */
const TABS = { home: '\ue6ca', mall: '\ue6c7', me: '\ue736' };
const COLORS = { '': '#6b6c6e', '-active': '#06813f' };

async function main() {
  const less = fs.readFileSync(require.resolve('@vant/icons/src/encode-woff2.less'), 'utf8');
  const font = /url\('(data:font\/woff2[^']+)'\)/.exec(less)[1];
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  await page.setContent(`<style>@font-face{font-family:vant-icon;src:url('${font}') format('woff2')}</style><canvas id="c" width="81" height="81"></canvas><span style="font-family:vant-icon">\ue6ca</span>`);
  await page.evaluate(() => document.fonts.ready);
  for (const [tab, glyph] of Object.entries(TABS)) {
    for (const [suffix, color] of Object.entries(COLORS)) {
      const png = await page.evaluate(({ glyph, color }) => {
        const canvas = document.getElementById('c');
        const c = canvas.getContext('2d');
        c.clearRect(0, 0, 81, 81);
        c.fillStyle = color;
        c.font = '72px vant-icon';
        c.textAlign = 'center';
        c.textBaseline = 'middle';
        c.fillText(glyph, 40.5, 42);
        return canvas.toDataURL('image/png');
      }, { glyph, color });
      fs.writeFileSync(path.join(OUT, `${tab}${suffix}.png`), Buffer.from(png.split(',')[1], 'base64'));
    }
  }
  await browser.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
