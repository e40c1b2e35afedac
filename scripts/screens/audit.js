/**
 * Text contrast, measured in the browser on a drawn page: text under WCAG AA (4.5:1, or 3:1 for large
 * text: 24 px, or 18.66 px bold) against the nearest opaque background colour behind it. Used by
 * `npm run screens` on every picture and by the Mini Program tests.
 */
/* global document, getComputedStyle, NodeFilter */
'use strict';

function findLowContrast(rootSelector) {
  const parse = (css) => (css.match(/[\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const f = (c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const backgroundOf = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      const rgba = parse(bg);
      if (rgba.length >= 3 && (rgba.length < 4 || rgba[3] > 0.5)) return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  const problems = [];
  const root = document.querySelector(rootSelector) || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent || '').trim();
    const element = node.parentElement;
    if (!text || !element) continue;
    const style = getComputedStyle(element);
    const rect = element.getBoundingClientRect();
    if (style.visibility === 'hidden' || rect.width === 0 || rect.height === 0) continue;
    const color = parse(style.color);
    if (color.length === 4 && color[3] < 1) continue; // translucent text is decoration
    const background = backgroundOf(element);
    const [hi, lo] = [luminance(color), luminance(parse(background))].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const fontSize = parseFloat(style.fontSize);
    const large = fontSize >= 24 || (fontSize >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push({ text: text.slice(0, 40), ratio: Math.round(ratio * 100) / 100, color: style.color, background, fontSize });
    }
  }
  return problems;
}

/** Text on a Playwright page that reads below 4.5:1 (3:1 when large). */
function lowContrastText(page, rootSelector = '.wx-page') {
  return page.evaluate(findLowContrast, rootSelector);
}

module.exports = { lowContrastText };
