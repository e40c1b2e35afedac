import { drawings } from './canvas';

/**
 * Turns a page rendered by miniprogram-simulate into plain HTML that a browser can draw. WeChat's built-in
 * components keep their properties outside the DOM (on `__wxElement._vt.attrs`): image src, input and
 * textarea value and placeholder, switch state. They are written out here as ordinary HTML.
 */

interface WxAttr {
  name: string;
  value: unknown;
}

interface WxNode extends Element {
  __wxElement?: { _vt?: { attrs?: WxAttr[] } };
}

const RPX = /(-?\d*\.?\d+)rpx/g;

/** rpx -> px on a 375 px wide phone. */
export function rpxToPx(css: string): string {
  return css.replace(RPX, (_all, n: string) => `${Number((Number(n) / 2).toFixed(2))}px`);
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

function wxAttrs(node: WxNode): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const attr of node.__wxElement?._vt?.attrs ?? []) attrs[attr.name] = attr.value;
  return attrs;
}

/** The owner prefix of a node's classes (`main` for the page, `van-button` inside Vant's button). */
function ownerPrefix(node: Element): string {
  const first = Array.from(node.classList).find((c) => c.includes('--'));
  return first ? first.slice(0, first.indexOf('--')) : 'main';
}

/** An image URL as the photographer will find it: fixture photos by file name, anything else a placeholder. */
export function photoRef(src: string): string {
  if (!src) return '';
  const name = src.split(/[?#]/)[0].split('/').pop() ?? '';
  return `photo:${name}`;
}

const IMAGE_FIT: Record<string, string> = {
  aspectFill: 'cover',
  aspectFit: 'contain',
  scaleToFill: 'fill',
  widthFix: 'cover',
  heightFix: 'cover',
};

function openTag(node: Element, extra: Record<string, string> = {}): string {
  const tag = node.tagName.toLowerCase();
  const parts = [tag];
  const className = node.getAttribute('class')?.trim();
  if (className) parts.push(`class="${escapeAttr(className)}"`);
  const style = node.getAttribute('style');
  if (style) parts.push(`style="${escapeAttr(rpxToPx(style))}"`);
  if (node.id) parts.push(`id="${escapeAttr(node.id)}"`);
  for (const [name, value] of Object.entries(extra)) parts.push(`${name}="${escapeAttr(value)}"`);
  return `<${parts.join(' ')}>`;
}

function children(node: Element): string {
  return Array.from(node.childNodes).map(serializeNode).join('');
}

function serializeBuiltIn(node: WxNode, tag: string): string | null {
  const attrs = wxAttrs(node);
  const flags: Record<string, string> = {};
  if (attrs.hidden === true) flags.hidden = '';
  if (attrs.disabled === true) flags['data-disabled'] = '';
  if (typeof attrs.ariaLabel === 'string' && attrs.ariaLabel) flags['aria-label'] = attrs.ariaLabel;

  switch (tag) {
    case 'wx-image': {
      const mode = String(attrs.mode ?? 'scaleToFill');
      const src = String(attrs.src ?? '');
      const img = src ? `<img src="${escapeAttr(photoRef(src))}" style="object-fit:${IMAGE_FIT[mode] ?? 'fill'}">` : '';
      return `${openTag(node, { ...flags, 'data-mode': mode })}${img}</wx-image>`;
    }
    case 'wx-input':
    case 'wx-textarea': {
      const value = String(attrs.value ?? '');
      const placeholder = String(attrs.placeholder ?? '');
      const placeholderClass = attrs.placeholderClass ? `${ownerPrefix(node)}--${String(attrs.placeholderClass)}` : '';
      const inner = value
        ? `<span class="wx-field__value">${escapeText(attrs.password ? '•'.repeat(value.length) : value)}</span>`
        : `<span class="wx-field__placeholder ${placeholderClass}">${escapeText(placeholder)}</span>`;
      const autoHeight: Record<string, string> = attrs.autoHeight === true ? { 'data-auto-height': '' } : {};
      return `${openTag(node, { ...flags, ...autoHeight })}${inner}</${tag}>`;
    }
    case 'wx-switch': {
      const on = attrs.checked === true;
      const color = String(attrs.color || '#04be02');
      return `${openTag(node, { ...flags, 'data-checked': String(on) })}<span class="wx-switch__track" style="${on ? `background:${color};border-color:${color}` : ''}"><span class="wx-switch__thumb"></span></span></wx-switch>`;
    }
    case 'wx-canvas': {
      const ops = drawings.get(node.id || String(attrs.id ?? ''));
      // Images drawn on the canvas go to the photographer like <image>s: fixture photos by file name.
      const draw = JSON.stringify(ops, (_key, value: unknown) =>
        value && typeof value === 'object' && typeof (value as { image?: unknown }).image === 'string' ? { image: photoRef((value as { image: string }).image) } : value,
      );
      if (ops) return `${openTag(node, { ...flags, 'data-draw': draw })}</wx-canvas>`;
      return `${openTag(node, flags)}<span class="wx-canvas__note">canvas（没有记录到绘制）</span></wx-canvas>`;
    }
    case 'wx-swiper': {
      const items = Array.from(node.children).filter((c) => c.tagName.toLowerCase() === 'wx-swiper-item');
      const dots = attrs.indicatorDots === true && items.length > 1
        ? `<span class="wx-swiper__dots">${items.map((_, i) => `<i class="${i === 0 ? 'on' : ''}"></i>`).join('')}</span>`
        : '';
      return `${openTag(node, flags)}${items.slice(0, 1).map(serializeNode).join('')}${dots}</wx-swiper>`;
    }
    case 'wx-button':
      if (attrs.type) flags['data-type'] = String(attrs.type);
      if (attrs.size) flags['data-size'] = String(attrs.size);
      if (attrs.plain === true) flags['data-plain'] = '';
      return `${openTag(node, flags)}${children(node)}</wx-button>`;
    default:
      return Object.keys(flags).length ? `${openTag(node, flags)}${children(node)}</${tag}>` : null;
  }
}

function serializeNode(node: Node): string {
  if (node.nodeType === 3) return escapeText(node.textContent ?? '');
  if (node.nodeType !== 1) return '';
  const element = node as WxNode;
  const tag = element.tagName.toLowerCase();
  if (tag === 'style' || tag === 'script') return '';
  if (tag.startsWith('wx-')) {
    const builtIn = serializeBuiltIn(element, tag);
    if (builtIn !== null) return builtIn;
  }
  return `${openTag(element)}${children(element)}</${tag}>`;
}

/** The page's DOM (the `<main>` simulate renders into) as HTML. */
export function serializePage(root: Element): string {
  return Array.from(root.childNodes).map(serializeNode).join('');
}

/** The custom-component tags that appear in the HTML. */
export function tagsIn(html: string): string[] {
  const tags = new Set<string>();
  for (const match of html.matchAll(/<([a-z][a-z0-9]*-[a-z0-9-]+)[\s>]/g)) {
    if (!match[1].startsWith('wx-')) tags.add(match[1]);
  }
  return [...tags];
}
