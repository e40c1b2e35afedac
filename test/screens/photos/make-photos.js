#!/usr/bin/env node
/**
 * Draws the fixture photos the screens use (check-in photos, products, avatars) on a canvas in Debian's
 * Chromium and saves them as small JPEGs beside this file. Run once when a picture is added; the JPEGs are
 * committed, so `npm run screens` never needs this.
 */
/* global document */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const QRCode = require('qrcode');

/** name -> [width, height, drawing code run with `c` (2D context), `w`, `h`]. */
const PHOTOS = {
  'breakfast.jpg': [480, 480, `
    const g = c.createLinearGradient(0, 0, w, h); g.addColorStop(0, '#c79a6b'); g.addColorStop(1, '#8a5a35');
    c.fillStyle = g; c.fillRect(0, 0, w, h);
    for (let i = 0; i < 40; i++) { c.strokeStyle = 'rgba(60,30,10,0.15)'; c.beginPath(); c.moveTo(0, i * 12 + 3); c.bezierCurveTo(w / 3, i * 12 - 8, w / 2, i * 12 + 14, w, i * 12); c.stroke(); }
    c.fillStyle = 'rgba(0,0,0,0.18)'; c.beginPath(); c.ellipse(250, 255, 190, 175, 0, 0, 7); c.fill();
    c.fillStyle = '#fbfaf7'; c.beginPath(); c.ellipse(240, 240, 185, 170, 0, 0, 7); c.fill();
    c.strokeStyle = '#e4e0d8'; c.lineWidth = 6; c.beginPath(); c.ellipse(240, 240, 150, 138, 0, 0, 7); c.stroke();
    c.fillStyle = '#e9b872'; c.fillRect(110, 170, 120, 110); c.fillStyle = '#f6dca8'; c.fillRect(120, 180, 100, 90);
    c.fillStyle = '#ffffff'; c.beginPath(); c.ellipse(310, 230, 70, 60, 0.4, 0, 7); c.fill();
    c.fillStyle = '#ffb21c'; c.beginPath(); c.arc(315, 228, 28, 0, 7); c.fill();
    c.fillStyle = '#d84b3c'; for (const [x, y] of [[190, 330], [225, 345], [260, 332]]) { c.beginPath(); c.arc(x, y, 20, 0, 7); c.fill(); }
    c.fillStyle = '#6aa84f'; c.beginPath(); c.ellipse(300, 330, 40, 16, -0.5, 0, 7); c.fill();
    c.fillStyle = '#ffffff'; c.beginPath(); c.arc(420, 80, 55, 0, 7); c.fill(); c.fillStyle = '#5b3a22'; c.beginPath(); c.arc(420, 80, 44, 0, 7); c.fill();
  `],
  'watercolor.jpg': [480, 360, `
    const sky = c.createLinearGradient(0, 0, 0, h); sky.addColorStop(0, '#8fc3e8'); sky.addColorStop(0.6, '#f7d9b5'); sky.addColorStop(1, '#f3c59a');
    c.fillStyle = sky; c.fillRect(0, 0, w, h);
    c.fillStyle = 'rgba(255,240,200,0.9)'; c.beginPath(); c.arc(340, 120, 36, 0, 7); c.fill();
    const hill = (color, base, amp, phase) => { c.fillStyle = color; c.beginPath(); c.moveTo(0, h); for (let x = 0; x <= w; x += 8) c.lineTo(x, base + Math.sin(x / 60 + phase) * amp); c.lineTo(w, h); c.fill(); };
    hill('rgba(110,150,120,0.8)', 220, 22, 0); hill('rgba(70,120,90,0.85)', 260, 18, 2); hill('rgba(40,90,70,0.9)', 300, 14, 4);
    for (let i = 0; i < 300; i++) { c.fillStyle = 'rgba(255,255,255,0.05)'; c.beginPath(); c.arc(Math.random() * w, Math.random() * h, Math.random() * 18, 0, 7); c.fill(); }
    c.fillStyle = '#f8f5ee'; c.fillRect(0, 0, w, 14); c.fillRect(0, h - 14, w, 14); c.fillRect(0, 0, 14, h); c.fillRect(w - 14, 0, 14, h);
  `],
  'notebook.jpg': [480, 480, `
    c.fillStyle = '#d9d4cc'; c.fillRect(0, 0, w, h);
    c.save(); c.translate(240, 240); c.rotate(-0.08); c.fillStyle = 'rgba(0,0,0,0.2)'; c.fillRect(-170, -205, 350, 420);
    c.fillStyle = '#fffdf6'; c.fillRect(-180, -215, 350, 420);
    c.strokeStyle = '#b9d3ea'; c.lineWidth = 2; for (let y = -170; y < 200; y += 30) { c.beginPath(); c.moveTo(-180, y); c.lineTo(170, y); c.stroke(); }
    c.strokeStyle = '#e8a0a0'; c.beginPath(); c.moveTo(-130, -215); c.lineTo(-130, 205); c.stroke();
    c.fillStyle = '#2d3a5a'; c.font = 'italic 22px serif';
    ['Day 3 - My breakfast', 'I had toast and an egg', 'with a glass of milk.', 'It was delicious!', 'New words: crispy,', 'sunny-side up'].forEach((t, i) => c.fillText(t, -115, -178 + i * 30));
    c.restore();
    c.fillStyle = '#2f6fb3'; c.save(); c.translate(390, 380); c.rotate(0.7); c.fillRect(-8, -120, 16, 220); c.fillStyle = '#222'; c.fillRect(-8, 100, 16, 22); c.restore();
  `],
  'reading.jpg': [480, 360, `
    c.fillStyle = '#4f6d5a'; c.fillRect(0, 0, w, h);
    c.fillStyle = 'rgba(0,0,0,0.25)'; c.fillRect(60, 70, 370, 250);
    c.fillStyle = '#fbf7ec'; c.beginPath(); c.moveTo(240, 60); c.quadraticCurveTo(150, 40, 50, 62); c.lineTo(50, 300); c.quadraticCurveTo(150, 282, 240, 300); c.fill();
    c.beginPath(); c.moveTo(240, 60); c.quadraticCurveTo(330, 40, 430, 62); c.lineTo(430, 300); c.quadraticCurveTo(330, 282, 240, 300); c.fill();
    c.fillStyle = '#9a958a'; for (let i = 0; i < 9; i++) { c.fillRect(75, 95 + i * 20, 140 - (i % 3) * 12, 5); c.fillRect(262, 95 + i * 20, 145 - (i % 4) * 10, 5); }
    c.fillStyle = '#e8b04a'; c.fillRect(360, 40, 14, 70);
  `],
  'sunrise.jpg': [480, 360, `
    const g = c.createLinearGradient(0, 0, 0, h); g.addColorStop(0, '#274b7a'); g.addColorStop(0.55, '#f59f6b'); g.addColorStop(1, '#f7c873');
    c.fillStyle = g; c.fillRect(0, 0, w, h);
    c.fillStyle = '#ffe6a8'; c.beginPath(); c.arc(240, 250, 50, 0, 7); c.fill();
    c.fillStyle = '#2c3440'; c.beginPath(); c.moveTo(0, 260); for (let x = 0; x <= w; x += 40) c.lineTo(x, 240 + ((x * 7) % 50)); c.lineTo(w, h); c.lineTo(0, h); c.fill();
    c.fillStyle = '#1d232b'; c.fillRect(0, 300, w, 60);
    c.fillStyle = 'rgba(255,230,170,0.6)'; for (let i = 0; i < 6; i++) c.fillRect(160 + i * 5, 310 + i * 8, 160 - i * 10, 3);
  `],
  'product-notebook.jpg': [400, 400, `
    c.fillStyle = '#f1ede6'; c.fillRect(0, 0, w, h);
    c.fillStyle = 'rgba(0,0,0,0.15)'; c.fillRect(112, 72, 190, 270);
    c.fillStyle = '#07c160'; c.fillRect(100, 60, 190, 270); c.fillStyle = '#05a150'; c.fillRect(100, 60, 22, 270);
    c.fillStyle = '#fff'; c.font = 'bold 30px "Noto Sans CJK SC"'; c.fillText('打卡笔记', 142, 170); c.font = '18px "Noto Sans CJK SC"'; c.fillText('DAILY NOTES', 150, 200);
    c.strokeStyle = '#fff'; c.lineWidth = 3; c.strokeRect(135, 120, 130, 100);
  `],
  'product-mug.jpg': [400, 400, `
    const g = c.createLinearGradient(0, 0, w, h); g.addColorStop(0, '#fdf6e9'); g.addColorStop(1, '#f1e3c8'); c.fillStyle = g; c.fillRect(0, 0, w, h);
    c.fillStyle = 'rgba(0,0,0,0.12)'; c.beginPath(); c.ellipse(200, 330, 110, 18, 0, 0, 7); c.fill();
    c.strokeStyle = '#ffffff'; c.lineWidth = 22; c.beginPath(); c.arc(290, 210, 45, -1.3, 1.3); c.stroke();
    c.fillStyle = '#ffffff'; c.fillRect(110, 110, 180, 215); c.beginPath(); c.ellipse(200, 325, 90, 14, 0, 0, 7); c.fill();
    c.fillStyle = '#e8e4dc'; c.beginPath(); c.ellipse(200, 110, 90, 16, 0, 0, 7); c.fill();
    c.fillStyle = '#07c160'; c.beginPath(); c.arc(200, 215, 40, 0, 7); c.fill(); c.fillStyle = '#fff'; c.font = 'bold 36px "Noto Sans CJK SC"'; c.fillText('✓', 186, 228);
  `],
  'product-bag.jpg': [400, 400, `
    c.fillStyle = '#e9eef2'; c.fillRect(0, 0, w, h);
    c.strokeStyle = '#c9b79c'; c.lineWidth = 12; c.beginPath(); c.arc(200, 130, 60, Math.PI, 0); c.stroke();
    c.fillStyle = '#efe4d2'; c.fillRect(100, 130, 200, 220);
    c.fillStyle = '#2b5d8a'; c.font = 'bold 28px "Noto Sans CJK SC"'; c.fillText('坚持就是', 145, 220); c.fillText('胜利', 172, 260);
  `],
  'product-book.jpg': [400, 400, `
    c.fillStyle = '#f5f0f7'; c.fillRect(0, 0, w, h);
    c.fillStyle = 'rgba(0,0,0,0.18)'; c.fillRect(128, 68, 170, 250);
    c.fillStyle = '#c0392b'; c.fillRect(115, 55, 170, 250); c.fillStyle = '#962d22'; c.fillRect(115, 55, 14, 250);
    c.fillStyle = '#fff6e0'; c.font = 'bold 26px "Noto Sans CJK SC"'; c.fillText('英语口语', 150, 150); c.fillText('365句', 163, 190);
    c.fillRect(150, 215, 110, 3);
  `],
  'product-vip.jpg': [400, 400, `
    const g = c.createLinearGradient(0, 0, w, h); g.addColorStop(0, '#3a2e1f'); g.addColorStop(1, '#1b150d'); c.fillStyle = g; c.fillRect(0, 0, w, h);
    const card = c.createLinearGradient(60, 120, 340, 290); card.addColorStop(0, '#f7d98b'); card.addColorStop(1, '#c99a3b');
    c.fillStyle = card; c.beginPath(); c.roundRect(60, 120, 280, 170, 18); c.fill();
    c.fillStyle = '#3a2e1f'; c.font = 'bold 30px "Noto Sans CJK SC"'; c.fillText('会员月卡', 90, 185); c.font = '18px "Noto Sans CJK SC"'; c.fillText('VIP · 30 天', 92, 225);
  `],
  'avatar-1.jpg': [160, 160, `
    c.fillStyle = '#ffd7b5'; c.fillRect(0, 0, w, h); c.fillStyle = '#3b2a20'; c.beginPath(); c.arc(80, 70, 50, Math.PI, 0); c.fill();
    c.fillStyle = '#f3c19a'; c.beginPath(); c.arc(80, 82, 40, 0, 7); c.fill(); c.fillStyle = '#3b2a20'; c.fillRect(62, 78, 6, 8); c.fillRect(92, 78, 6, 8);
    c.fillStyle = '#e07a5f'; c.fillRect(40, 125, 80, 40);
  `],
  'avatar-2.jpg': [160, 160, `
    c.fillStyle = '#bfe3d0'; c.fillRect(0, 0, w, h); c.fillStyle = '#f1c7a1'; c.beginPath(); c.arc(80, 78, 40, 0, 7); c.fill();
    c.fillStyle = '#222'; c.beginPath(); c.arc(80, 60, 42, Math.PI * 1.05, Math.PI * 1.95); c.fill(); c.fillRect(58, 76, 6, 7); c.fillRect(96, 76, 6, 7);
    c.fillStyle = '#3d5a80'; c.fillRect(38, 122, 84, 40);
  `],
  'avatar-3.jpg': [160, 160, `
    c.fillStyle = '#ffe9a8'; c.fillRect(0, 0, w, h); c.fillStyle = '#f0a500'; c.beginPath(); c.arc(80, 85, 50, 0, 7); c.fill();
    c.fillStyle = '#fff'; c.beginPath(); c.arc(62, 75, 10, 0, 7); c.arc(98, 75, 10, 0, 7); c.fill(); c.fillStyle = '#222'; c.beginPath(); c.arc(62, 75, 4, 0, 7); c.arc(98, 75, 4, 0, 7); c.fill();
  `],
};

async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  await page.setContent('<canvas id="c"></canvas>');
  for (const [name, [w, h, draw]] of Object.entries(PHOTOS)) {
    const dataUrl = await page.evaluate(
      ({ w, h, draw }) => {
        const canvas = document.getElementById('c');
        canvas.width = w;
        canvas.height = h;
        const c = canvas.getContext('2d');
        new Function('c', 'w', 'h', draw)(c, w, h);
        return canvas.toDataURL('image/jpeg', 0.72);
      },
      { w, h, draw },
    );
    fs.writeFileSync(path.join(__dirname, name), Buffer.from(dataUrl.split(',')[1], 'base64'));
  }
  await browser.close();
  // The Mini Program code on posters: a real QR code (what fake WeChat draws) holding a poster's scene.
  await QRCode.toFile(path.join(__dirname, 'wxacode.png'), 'fake-wxacode:pages/cohort/index?scene=i=Ab3dEf9H&env_version=develop', { width: 280, margin: 2 });
  // A WeChat group's QR code as an operator uploads it (a screenshot of 群二维码).
  await QRCode.toFile(path.join(__dirname, 'group-qr.png'), 'https://weixin.qq.com/g/AbCdEfGhIjKlMnOp', { width: 360, margin: 3, color: { dark: '#111111' } });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
