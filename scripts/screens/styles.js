/**
 * The CSS a captured page needs in Chromium: WeChat's own defaults for built-in components, the Vant icon
 * font from @vant/icons (not the CDN Vant's WXSS points at), and the WXSS of the app, the page and every
 * custom component in it, compiled with the same class prefixes miniprogram-simulate gave the DOM.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const wxss = require('miniprogram-simulate/src/wxss.js');

const ROOT = path.resolve(__dirname, '../..');

/** The safe area at the bottom of an iPhone X class phone (home indicator). */
const SAFE_AREA_BOTTOM = 34;

/**
 * rpx -> px for a 375 px wide phone; the safe-area insets of an iPhone X class phone (on a tab page the
 * tab bar covers the home indicator, so the page's own inset is 0).
 */
function toBrowserCss(css, hostTag, safeAreaBottom = SAFE_AREA_BOTTOM) {
  let out = css
    .replace(/(-?\d*\.?\d+)rpx/g, (_all, n) => `${Number((Number(n) / 2).toFixed(2))}px`)
    .replace(/(?:env|constant)\(\s*safe-area-inset-bottom\s*\)/g, `${safeAreaBottom}px`)
    .replace(/(?:env|constant)\(\s*safe-area-inset-(?:top|left|right)\s*\)/g, '0px')
    // Vant points its icon font at a CDN; the local copy from @vant/icons is declared once instead.
    .replace(/@font-face\s*{[^}]*font-family:\s*["']?vant-icon["']?[^}]*}/g, '')
    // `page` (the page's root) is the wrapper element here.
    .replace(/(^|[\s,{}])page(?=\s*[{,:.[\s])/g, '$1.wx-page');
  if (hostTag) out = out.replace(/:host/g, hostTag);
  return out;
}

const cache = new Map();

/** A WXSS file compiled for one owner prefix (`main` for pages, the tag for a component). */
function compiledWxss(file, prefix, hostTag, safeAreaBottom) {
  const key = `${file}|${prefix}|${safeAreaBottom}`;
  if (!cache.has(key)) {
    const source = fs.existsSync(file) ? wxss.getContent(file) : '';
    cache.set(key, source ? toBrowserCss(wxss.compile(source, { prefix }), hostTag, safeAreaBottom) : '');
  }
  return cache.get(key);
}

let iconFont = null;

/** @font-face for `vant-icon` from the woff2 that @vant/icons ships inline. */
function vantIconFontFace() {
  if (iconFont === null) {
    const less = fs.readFileSync(require.resolve('@vant/icons/src/encode-woff2.less'), 'utf8');
    const dataUrl = /url\('(data:font\/woff2[^']+)'\)/.exec(less)?.[1];
    if (!dataUrl) throw new Error('@vant/icons: no inline woff2 font found in encode-woff2.less');
    iconFont = `@font-face{font-family:vant-icon;font-style:normal;font-weight:400;src:url('${dataUrl}') format('woff2')}`;
  }
  return iconFont;
}

/** WeChat's defaults for the built-in components the pages use (base library, `style` not v2). */
const BUILT_INS = `
wx-view,wx-scroll-view,wx-swiper,wx-swiper-item,wx-picker,wx-form,wx-cover-view,wx-block{display:block}
wx-text{display:inline;white-space:pre-line}
wx-image{display:inline-block;position:relative;overflow:hidden;width:320px;height:240px;background:#eee}
wx-image>img{display:block;width:100%;height:100%}
wx-image[data-mode=widthFix]{height:auto}wx-image[data-mode=widthFix]>img{height:auto}
wx-button{position:relative;display:block;margin-left:auto;margin-right:auto;padding-left:14px;padding-right:14px;box-sizing:border-box;
  font-size:18px;text-align:center;text-decoration:none;line-height:2.55555556;border-radius:5px;overflow:hidden;color:#000;background-color:#f8f8f8}
wx-button:after{content:" ";width:200%;height:200%;position:absolute;top:0;left:0;border:1px solid rgba(0,0,0,.2);transform:scale(.5);
  transform-origin:0 0;box-sizing:border-box;border-radius:10px}
wx-button[data-type=primary]{color:#fff;background-color:#1aad19}
wx-button[data-size=mini]{display:inline-block;line-height:2.3;font-size:13px;padding:0 1.34em}
wx-input{display:block;height:1.4em;min-height:1.4em;line-height:1.4em;overflow:hidden;white-space:nowrap}
wx-textarea{display:block;width:300px;height:150px;position:relative;white-space:pre-wrap;overflow-wrap:anywhere;line-height:normal}
wx-textarea[data-auto-height]{height:auto;min-height:1.4em}
.wx-field__placeholder{color:#808080}
wx-switch{display:inline-block;vertical-align:middle}
.wx-switch__track{position:relative;display:block;width:52px;height:32px;border:1px solid #dfdfdf;border-radius:16px;background:#dfdfdf;box-sizing:border-box}
.wx-switch__thumb{position:absolute;top:0;left:0;width:30px;height:30px;border-radius:15px;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.4)}
wx-switch[data-checked=true] .wx-switch__thumb{left:20px}
wx-scroll-view{overflow:hidden}
wx-swiper{position:relative;overflow:hidden;height:150px}wx-swiper-item{width:100%;height:100%}
.wx-swiper__dots{position:absolute;bottom:10px;left:0;right:0;display:flex;justify-content:center;gap:8px}
.wx-swiper__dots i{width:8px;height:8px;border-radius:4px;background:rgba(0,0,0,.3)}.wx-swiper__dots i.on{background:#000}
wx-canvas{display:block;position:relative;width:300px;height:150px}
wx-canvas>img{display:block;width:100%;height:100%}
.wx-canvas__note{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;color:#969799;font-size:12px;
  border:1px dashed #dcdee0;background:repeating-linear-gradient(45deg,#fafafa,#fafafa 8px,#f2f3f5 8px,#f2f3f5 16px)}
[hidden]{display:none!important}
`;

/** The CSS for one capture: icon font, built-ins, app.wxss, the page, then each component by tag. */
function cssFor(capture) {
  const miniprogram = path.join(ROOT, 'miniprogram');
  const safeArea = capture.tabBar ? 0 : SAFE_AREA_BOTTOM;
  const parts = [vantIconFontFace(), BUILT_INS];
  parts.push(compiledWxss(path.join(miniprogram, 'app.wxss'), 'main', undefined, safeArea));
  parts.push(compiledWxss(path.join(miniprogram, `${capture.page}.wxss`), 'main', undefined, safeArea));
  for (const [tag, file] of Object.entries(capture.components)) {
    parts.push(`${tag}{display:inline}`);
    parts.push(compiledWxss(path.join(ROOT, `${file}.wxss`), tag, tag, safeArea));
    // Vant's components set addGlobalClass: the app's and the page's classes reach inside them too.
    if (file.includes('@vant/weapp')) {
      parts.push(compiledWxss(path.join(miniprogram, 'app.wxss'), tag, undefined, safeArea));
      parts.push(compiledWxss(path.join(miniprogram, `${capture.page}.wxss`), tag, undefined, safeArea));
    }
  }
  return parts.join('\n');
}

module.exports = { cssFor, toBrowserCss, SAFE_AREA_BOTTOM };
