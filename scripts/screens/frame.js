/**
 * The WeChat chrome around a captured page, drawn from app.json and the page's JSON: the status bar, the
 * navigation bar with its back arrow and the capsule (··· and ◎), the tab bar on tab pages, the home
 * indicator. The page itself scrolls in the area between, which is also where `position: fixed` lands.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { cssFor, SAFE_AREA_BOTTOM } = require('./styles');

const ROOT = path.resolve(__dirname, '../..');
const PHOTOS = path.join(ROOT, 'test/screens/photos');
const STATUS_BAR = 44;
const NAV_BAR = 44;
const TAB_BAR = 50;

const appJson = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'miniprogram/app.json'), 'utf8'));

const escapeHtml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A grey picture frame for images that have no fixture photo. */
const PLACEHOLDER =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><rect width="120" height="120" fill="#e5e6eb"/><path d="M30 82l20-24 14 16 10-10 16 18z" fill="#c8c9cc"/><circle cx="78" cy="44" r="8" fill="#c8c9cc"/></svg>');

/** The fixture photo of that name as a URL, or the placeholder. */
function photoUrl(name) {
  const file = path.join(PHOTOS, name);
  return name && fs.existsSync(file) ? pathToFileURL(file).href : PLACEHOLDER;
}

/** The fixture photo as a data: URL (a canvas that draws a file: image may not be exported), or the placeholder. */
function photoDataUrl(name) {
  const file = path.join(PHOTOS, name);
  if (!name || !fs.existsSync(file)) return PLACEHOLDER;
  const type = name.endsWith('.png') ? 'image/png' : 'image/jpeg';
  return `data:${type};base64,${fs.readFileSync(file).toString('base64')}`;
}

/** `photo:<name>` -> the fixture photo of that name, or the placeholder: in <img src> and in recorded canvas drawings. */
function resolvePhotos(html) {
  return html
    .replace(/src="photo:([^"]*)"/g, (_all, name) => `src="${photoUrl(name)}"`)
    .replace(/&quot;image&quot;:&quot;photo:([^&]*)&quot;/g, (_all, name) => `&quot;image&quot;:&quot;${photoDataUrl(name)}&quot;`);
}

const FRAME_CSS = `
html,body{margin:0;padding:0;background:#fff}
body{font-family:"PingFang SC","Noto Sans CJK SC","Noto Sans SC",sans-serif;font-size:16px;color:#000;-webkit-font-smoothing:antialiased}
*,*:before,*:after{animation-play-state:paused!important;transition:none!important;caret-color:transparent}
.phone{position:relative;width:375px;height:812px;overflow:hidden;background:#f7f8fa}
.phone--full{height:auto;min-height:812px}
.chrome-top{position:absolute;top:0;left:0;right:0;z-index:5000}
.status-bar{height:${STATUS_BAR}px;display:flex;align-items:center;justify-content:space-between;padding:0 22px 0 30px;font-size:15px;font-weight:600;box-sizing:border-box}
.status-bar__icons{display:flex;align-items:center;gap:6px}
.signal{display:flex;align-items:flex-end;gap:2px;height:11px}.signal i{width:3px;background:currentColor;border-radius:1px}
.wifi{width:15px;height:11px;position:relative;overflow:hidden}
.wifi:before{content:"";position:absolute;left:0;top:0;width:15px;height:15px;border-radius:50%;background:currentColor;clip-path:polygon(50% 72%,0 0,100% 0)}
.battery{width:24px;height:11px;border:1px solid currentColor;border-radius:3px;opacity:.9;position:relative;box-sizing:border-box;padding:1px}
.battery i{display:block;height:100%;width:80%;background:currentColor;border-radius:1px}
.battery:after{content:"";position:absolute;right:-3px;top:3px;width:2px;height:4px;background:currentColor;border-radius:0 1px 1px 0}
.nav-bar{height:${NAV_BAR}px;position:relative;display:flex;align-items:center;justify-content:center}
.nav-bar__title{max-width:200px;font-size:17px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.nav-bar__back{position:absolute;left:16px;top:15px;width:11px;height:11px;border-left:2px solid currentColor;border-bottom:2px solid currentColor;transform:rotate(45deg)}
.capsule{position:absolute;right:7px;top:6px;width:87px;height:32px;box-sizing:border-box;border-radius:16px;display:flex;align-items:center;
  border:.5px solid rgba(0,0,0,.12);background:rgba(255,255,255,.6)}
.capsule--white{border-color:rgba(255,255,255,.3);background:rgba(0,0,0,.15)}
.capsule__more,.capsule__close{flex:1;display:flex;align-items:center;justify-content:center;height:100%}
.capsule__more i{width:4px;height:4px;border-radius:2px;background:currentColor;margin:0 2px}
.capsule__more i:nth-child(2){width:6px;height:6px;border-radius:3px}
.capsule__divider{width:.5px;height:18px;background:currentColor;opacity:.25}
.capsule__close span{width:15px;height:15px;border:2px solid currentColor;border-radius:50%;box-sizing:border-box;position:relative}
.capsule__close span:after{content:"";position:absolute;left:3px;top:3px;width:5px;height:5px;border-radius:50%;background:currentColor}
.viewport{position:absolute;left:0;right:0;top:${STATUS_BAR + NAV_BAR}px;bottom:0;overflow:hidden;transform:translateZ(0)}
.phone--tab .viewport{bottom:${TAB_BAR + SAFE_AREA_BOTTOM}px}
.phone--full .viewport{position:relative;top:0;margin-top:${STATUS_BAR + NAV_BAR}px;min-height:${812 - STATUS_BAR - NAV_BAR}px}
.phone--full.phone--tab .viewport{margin-bottom:${TAB_BAR + SAFE_AREA_BOTTOM}px;min-height:${812 - STATUS_BAR - NAV_BAR - TAB_BAR - SAFE_AREA_BOTTOM}px}
.wx-page{display:block;min-height:100%;font-size:16px}
.tab-bar{position:absolute;left:0;right:0;bottom:0;height:${TAB_BAR + SAFE_AREA_BOTTOM}px;padding-bottom:${SAFE_AREA_BOTTOM}px;box-sizing:border-box;
  display:flex;z-index:5000}
.tab-bar__item{flex:1;display:flex;flex-direction:column;align-items:center;justify-content:center;font-size:10px;gap:3px}
.tab-bar__item img{width:24px;height:24px}
.home-indicator{position:absolute;left:50%;bottom:8px;width:134px;height:5px;border-radius:3px;transform:translateX(-50%);z-index:6000}
`;

function statusBar() {
  return `<div class="status-bar"><span>9:41</span><span class="status-bar__icons">
    <span class="signal"><i style="height:4px"></i><i style="height:6px"></i><i style="height:8px"></i><i style="height:11px"></i></span>
    <span class="wifi"></span><span class="battery"><i></i></span></span></div>`;
}

function navigationBar(navigation) {
  const white = navigation.textStyle === 'white';
  return `<div class="nav-bar">
    ${navigation.back ? '<span class="nav-bar__back"></span>' : ''}
    <span class="nav-bar__title">${escapeHtml(navigation.title)}</span>
    <span class="capsule ${white ? 'capsule--white' : ''}"><span class="capsule__more"><i></i><i></i><i></i></span>
      <span class="capsule__divider"></span><span class="capsule__close"><span></span></span></span></div>`;
}

function tabBar(selected) {
  const { tabBar: bar } = appJson();
  const border = bar.borderStyle === 'white' ? 'rgba(255,255,255,.33)' : 'rgba(0,0,0,.1)';
  const items = bar.list.map((tab, i) => {
    const on = i === selected;
    const icon = on ? tab.selectedIconPath : tab.iconPath;
    const img = icon ? `<img src="${pathToFileURL(path.join(ROOT, 'miniprogram', icon)).href}" alt="">` : '';
    return `<div class="tab-bar__item" style="color:${on ? bar.selectedColor : bar.color}">${img}<span>${escapeHtml(tab.text)}</span></div>`;
  });
  return `<div class="tab-bar" style="background:${bar.backgroundColor};box-shadow:inset 0 .5px 0 ${border}">${items.join('')}</div>`;
}

/**
 * Replays the Canvas 2D calls a page made (recorded in the scene) on real canvases, at DPR 2; images drawn
 * on them (`{"image": url}`) are loaded first. window.canvasesDrawn resolves when every canvas is drawn.
 */
const REPLAY_CANVASES = `<script>
const loadImage = (src) => new Promise((resolve, reject) => {
  const img = new Image();
  img.onload = () => resolve(img);
  img.onerror = () => reject(new Error('canvas image did not load: ' + src));
  img.src = src;
});
window.canvasesDrawn = Promise.all([...document.querySelectorAll('wx-canvas[data-draw]')].map(async (host) => {
  const ops = JSON.parse(host.dataset.draw);
  const sources = [...new Set(ops.flatMap(([, ...args]) => args.filter((a) => a && typeof a === 'object' && a.image).map((a) => a.image)))];
  const images = new Map(await Promise.all(sources.map(async (src) => [src, await loadImage(src)])));
  const box = host.getBoundingClientRect();
  const canvas = document.createElement('canvas');
  canvas.width = box.width * 2;
  canvas.height = box.height * 2;
  const ctx = canvas.getContext('2d');
  ctx.scale(2, 2);
  for (const [op, ...args] of ops) {
    if (op.startsWith('=')) ctx[op.slice(1)] = args[0];
    else if (op !== 'scale') ctx[op](...args.map((a) => (a && typeof a === 'object' && a.image ? images.get(a.image) : a)));
  }
  // As a picture: a live canvas in a tall full-page screenshot makes headless Chromium tile the page.
  const img = document.createElement('img');
  img.src = canvas.toDataURL('image/png');
  host.appendChild(img);
  await img.decode();
})).then(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
</script>`;

/** The whole HTML document of one capture. */
function documentFor(capture) {
  const { navigation } = capture;
  const textColor = navigation.textStyle === 'white' ? '#fff' : '#000';
  const classes = ['phone', capture.tabBar ? 'phone--tab' : '', capture.fullPage ? 'phone--full' : ''].filter(Boolean).join(' ');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<style>${FRAME_CSS}</style><style>${cssFor(capture)}</style></head>
<body><div class="${classes}">
  <div class="viewport"><div class="wx-page">${resolvePhotos(capture.html)}</div></div>
  <div class="chrome-top" style="background:${navigation.background};color:${textColor}">${statusBar()}${navigationBar(navigation)}</div>
  ${capture.tabBar ? tabBar(capture.tabBar.selected) : ''}
  <div class="home-indicator" style="background:${capture.tabBar ? '#000' : 'rgba(0,0,0,.85)'}"></div>
</div>${REPLAY_CANVASES}</body></html>`;
}

module.exports = { documentFor };
