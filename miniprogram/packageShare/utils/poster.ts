/**
 * Posters drawn on a 2D canvas: the invitation poster, the daily card (日签) and the completion
 * certificate. What goes on them is decided here (pure, tested); drawPoster puts it on a canvas
 * context, and renderPoster finds the page's `<canvas type="2d">`, loads the images and draws.
 */

export type PosterKind = 'poster' | 'daily' | 'certificate';

export interface PosterStat {
  value: string;
  label: string;
}

/** Everything a poster says, in the order it is drawn. */
export interface PosterContent {
  kind: PosterKind;
  /** Small text at the top: the theme, the date, or "结业证书". */
  eyebrow: string;
  heading: string;
  nickname: string;
  /** Under the nickname: "邀请你一起打卡", "今日打卡完成", "完成全部 21 天打卡". */
  byline: string;
  stats: PosterStat[];
  quote: string;
  /** Beside the code; without a code, the last line of the poster. */
  footer: string;
}

/** Image sources (local paths or URLs); any may be missing. */
export interface PosterImageSources {
  cover?: string;
  avatar?: string;
  code?: string;
}

export interface CanvasImage {
  src: string;
  width: number;
  height: number;
  onload: (() => void) | null;
  onerror: ((error: unknown) => void) | null;
}

export interface PosterImages {
  cover?: CanvasImage;
  avatar?: CanvasImage;
  code?: CanvasImage;
}

/** The Canvas 2D calls the posters use (WeChat's canvas type="2d" context has them all). */
export interface PosterContext {
  fillStyle: string;
  strokeStyle: string;
  font: string;
  textAlign: string;
  textBaseline: string;
  lineWidth: number;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  drawImage(image: CanvasImage, x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  closePath(): void;
  fill(): void;
  save(): void;
  restore(): void;
  clip(): void;
  scale(x: number, y: number): void;
}

/** The poster's size in CSS pixels (the canvas is 600rpx × 960rpx); saved at 3× for a sharp image. */
export const POSTER_SIZE = { width: 300, height: 480 };
export const EXPORT_SCALE = 3;

const THEMES: Record<PosterKind, { band: string; ink: string; accent: string; paper: string }> = {
  // White text on each band reads at 4.5:1 or better.
  poster: { band: '#06813f', ink: '#1f2329', accent: '#06813f', paper: '#ffffff' },
  daily: { band: '#1d6fa5', ink: '#1f2329', accent: '#17587f', paper: '#fffdf7' },
  certificate: { band: '#8a6306', ink: '#3b2a07', accent: '#8a6306', paper: '#fffaf0' },
};

const FONT = '"PingFang SC", "Noto Sans CJK SC", sans-serif';

/** Approximate width of text: CJK and full-width characters are one em, the rest a bit over half. */
export function textWidth(text: string, fontSize: number): number {
  let width = 0;
  for (const character of Array.from(text)) width += /[\u2e80-\uffff]/.test(character) ? fontSize : fontSize * 0.56;
  return width;
}

/**
 * Breaks text into lines that fit `maxWidth` (by the estimate above, so it needs no measureText), at
 * most `maxLines`; a cut last line ends in "…". Line breaks in the text are kept.
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const character of Array.from(paragraph)) {
      if (line && textWidth(line + character, fontSize) > maxWidth) {
        lines.push(line);
        line = '';
      }
      line += character;
    }
    lines.push(line);
  }
  const kept = lines.filter((line, i) => line !== '' || i < lines.length - 1);
  if (kept.length <= maxLines) return kept;
  const last = Array.from(kept[maxLines - 1]);
  while (last.length && textWidth(`${last.join('')}…`, fontSize) > maxWidth) last.pop();
  return [...kept.slice(0, maxLines - 1), `${last.join('')}…`];
}

function roundedAvatar(ctx: PosterContext, image: CanvasImage | undefined, x: number, y: number, size: number, fallback: string, color: string) {
  ctx.save();
  ctx.beginPath();
  ctx.arc(x + size / 2, y + size / 2, size / 2, 0, Math.PI * 2);
  ctx.closePath();
  ctx.clip();
  if (image) {
    ctx.drawImage(image, x, y, size, size);
  } else {
    ctx.fillStyle = color;
    ctx.fillRect(x, y, size, size);
    ctx.fillStyle = '#ffffff';
    ctx.font = `600 ${Math.round(size * 0.45)}px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.fillText(fallback, x + size / 2, y + size / 2 + 1);
  }
  ctx.restore();
}

/**
 * Draws a poster in a box of `size` CSS pixels: a band (or the cover photo) with the eyebrow and
 * heading, the member's avatar and name, the stats, a quote, and the Mini Program code with what to
 * do with it. Without a code the footer takes the bottom line.
 */
export function drawPoster(ctx: PosterContext, content: PosterContent, images: PosterImages, size = POSTER_SIZE): void {
  const theme = THEMES[content.kind];
  const { width, height } = size;
  const pad = 20;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = theme.paper;
  ctx.fillRect(0, 0, width, height);
  ctx.textBaseline = 'middle';

  // The band: the cohort's cover photo when there is one, else the kind's colour.
  const bandHeight = 150;
  if (images.cover) {
    ctx.drawImage(images.cover, 0, 0, width, bandHeight);
    ctx.fillStyle = 'rgba(0,0,0,0.45)';
    ctx.fillRect(0, 0, width, bandHeight);
  } else {
    ctx.fillStyle = theme.band;
    ctx.fillRect(0, 0, width, bandHeight);
  }
  if (content.kind === 'certificate') {
    ctx.strokeStyle = theme.band;
    ctx.lineWidth = 2;
    ctx.strokeRect(8, 8, width - 16, height - 16);
  }
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'left';
  ctx.font = `14px ${FONT}`;
  ctx.fillText(content.eyebrow, pad, 30);
  ctx.font = `bold 22px ${FONT}`;
  wrapText(content.heading, width - pad * 2, 22, 2).forEach((line, i) => ctx.fillText(line, pad, 70 + i * 30));

  // Who: the avatar overlapping the band, the name and the byline.
  const avatarSize = 56;
  const avatarY = bandHeight - avatarSize / 2;
  ctx.fillStyle = theme.paper;
  ctx.beginPath();
  ctx.arc(pad + avatarSize / 2, avatarY + avatarSize / 2, avatarSize / 2 + 3, 0, Math.PI * 2);
  ctx.closePath();
  ctx.fill();
  roundedAvatar(ctx, images.avatar, pad, avatarY, avatarSize, Array.from(content.nickname)[0] ?? '', theme.accent);
  ctx.textAlign = 'left';
  ctx.fillStyle = theme.ink;
  ctx.font = `bold 17px ${FONT}`;
  ctx.fillText(content.nickname, pad + avatarSize + 12, bandHeight + 14);
  ctx.fillStyle = '#646566';
  ctx.font = `13px ${FONT}`;
  ctx.fillText(content.byline, pad + avatarSize + 12, bandHeight + 36);

  // The numbers, side by side.
  const statsY = bandHeight + 86;
  const column = (width - pad * 2) / Math.max(1, content.stats.length);
  ctx.textAlign = 'center';
  content.stats.forEach((stat, i) => {
    const x = pad + column * i + column / 2;
    ctx.fillStyle = theme.accent;
    ctx.font = `bold 20px ${FONT}`;
    ctx.fillText(stat.value, x, statsY);
    ctx.fillStyle = '#646566';
    ctx.font = `12px ${FONT}`;
    ctx.fillText(stat.label, x, statsY + 24);
  });

  // The quote.
  ctx.textAlign = 'left';
  ctx.fillStyle = theme.ink;
  ctx.font = `14px ${FONT}`;
  wrapText(content.quote, width - pad * 2, 14, 4).forEach((line, i) => ctx.fillText(line, pad, statsY + 64 + i * 22));

  // The code and what to do with it.
  const codeSize = 84;
  const codeY = height - pad - codeSize;
  if (images.code) {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(width - pad - codeSize, codeY, codeSize, codeSize);
    ctx.drawImage(images.code, width - pad - codeSize, codeY, codeSize, codeSize);
    ctx.fillStyle = '#646566';
    ctx.font = `13px ${FONT}`;
    wrapText(content.footer, width - pad * 3 - codeSize, 13, 3).forEach((line, i) => ctx.fillText(line, pad, codeY + 24 + i * 20));
  } else {
    ctx.fillStyle = '#646566';
    ctx.font = `13px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.fillText(content.footer, width / 2, height - pad - 8);
  }
}

interface PosterCanvas {
  width: number;
  height: number;
  getContext(type: '2d'): PosterContext;
  createImage(): CanvasImage;
}

/** Loads one image on the canvas; resolves undefined when it cannot be loaded (the poster goes without). */
function loadImage(canvas: PosterCanvas, src: string | undefined): Promise<CanvasImage | undefined> {
  if (!src) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const image = canvas.createImage();
    image.onload = () => resolve(image);
    image.onerror = () => resolve(undefined);
    image.src = src;
  });
}

function pixelRatio(): number {
  if (typeof wx.getWindowInfo === 'function') return wx.getWindowInfo().pixelRatio || 1;
  return wx.getSystemInfoSync().pixelRatio || 1;
}

/**
 * Finds `<canvas type="2d">` by selector in the page, sizes it for the screen, loads the images and
 * draws. Resolves the canvas (for canvasToTempFilePath), or null when it is not on the page.
 */
export function renderPoster(
  scope: WechatMiniprogram.Component.TrivialInstance,
  selector: string,
  content: PosterContent,
  sources: PosterImageSources,
): Promise<PosterCanvas | null> {
  return new Promise((resolve) => {
    wx.createSelectorQuery()
      .in(scope)
      .select(selector)
      .fields({ node: true, size: true })
      .exec(async (res: Array<{ node?: PosterCanvas; width: number; height: number } | null>) => {
        const canvas = res?.[0]?.node;
        if (!canvas) {
          resolve(null);
          return;
        }
        const ratio = pixelRatio();
        canvas.width = POSTER_SIZE.width * ratio;
        canvas.height = POSTER_SIZE.height * ratio;
        const ctx = canvas.getContext('2d');
        ctx.scale(ratio, ratio);
        const [cover, avatar, code] = await Promise.all([
          loadImage(canvas, sources.cover),
          loadImage(canvas, sources.avatar),
          loadImage(canvas, sources.code),
        ]);
        drawPoster(ctx, content, { cover, avatar, code });
        resolve(canvas);
      });
  });
}
