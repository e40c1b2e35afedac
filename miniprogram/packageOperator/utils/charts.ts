/** Bar charts for the metrics page: the geometry is computed here (pure, tested), then drawn on a 2D canvas. */

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Text above the bar (the value). */
  value: string;
  /** Text under the bar (the category). */
  label: string;
}

export interface ChartBox {
  width: number;
  height: number;
}

export const CHART_PADDING = { top: 20, right: 10, bottom: 20, left: 10 };
/** Share of each slot left empty between bars. */
export const BAR_GAP = 0.4;

export interface BarInput {
  amount: number;
  value: string;
  label: string;
}

/** Bars of equal slots across the plot area, heights proportional to `amount / max` (max at least 1e-9). */
export function barLayout(items: BarInput[], max: number, box: ChartBox): Bar[] {
  const plotWidth = Math.max(0, box.width - CHART_PADDING.left - CHART_PADDING.right);
  const plotHeight = Math.max(0, box.height - CHART_PADDING.top - CHART_PADDING.bottom);
  if (!items.length) return [];
  const slot = plotWidth / items.length;
  const width = slot * (1 - BAR_GAP);
  const top = Math.max(max, 1e-9);
  return items.map((item, i) => {
    const height = (Math.max(0, Math.min(item.amount, top)) / top) * plotHeight;
    return {
      x: CHART_PADDING.left + i * slot + (slot - width) / 2,
      y: CHART_PADDING.top + plotHeight - height,
      width,
      height,
      value: item.value,
      label: item.label,
    };
  });
}

interface Context2D {
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  fillStyle: string;
  font: string;
  textAlign: string;
  scale(x: number, y: number): void;
}

/** Value labels need about this much room (10 px text such as "100%"); narrower bars label every n-th. */
export const MIN_LABEL_SPACING = 28;
/** Category labels ("21") need less. */
export const MIN_CATEGORY_SPACING = 16;

/** Every how many bars a label fits, so that labels never overlap (the first and last always show). */
export function labelStep(bars: Bar[], spacing: number): number {
  if (bars.length < 2) return 1;
  const slot = bars[1].x - bars[0].x;
  return Math.max(1, Math.ceil(spacing / slot));
}

const shown = (i: number, count: number, step: number) => i % step === 0 || (i === count - 1 && (count - 1) % step >= step / 2);

/** Draws the bars with their value above and label below (every n-th when they would overlap). */
export function drawBars(ctx: Context2D, bars: Bar[], box: ChartBox, color: string): void {
  ctx.clearRect(0, 0, box.width, box.height);
  ctx.fillStyle = '#ebedf0';
  ctx.fillRect(CHART_PADDING.left, box.height - CHART_PADDING.bottom, box.width - CHART_PADDING.left - CHART_PADDING.right, 1);
  ctx.font = '10px sans-serif';
  ctx.textAlign = 'center';
  const valueStep = labelStep(bars, MIN_LABEL_SPACING);
  const categoryStep = labelStep(bars, MIN_CATEGORY_SPACING);
  bars.forEach((bar, i) => {
    ctx.fillStyle = color;
    ctx.fillRect(bar.x, bar.y, bar.width, bar.height);
    ctx.fillStyle = '#646566';
    if (shown(i, bars.length, valueStep)) ctx.fillText(bar.value, bar.x + bar.width / 2, bar.y - 4);
    if (shown(i, bars.length, categoryStep)) ctx.fillText(bar.label, bar.x + bar.width / 2, box.height - CHART_PADDING.bottom + 14);
  });
}

interface CanvasNode {
  width: number;
  height: number;
  getContext(type: '2d'): Context2D;
}

function pixelRatio(): number {
  if (typeof wx.getWindowInfo === 'function') return wx.getWindowInfo().pixelRatio || 1;
  return wx.getSystemInfoSync().pixelRatio || 1;
}

/**
 * Finds `<canvas type="2d" id="…">` in the page (Canvas 2D API), sizes it for the screen's pixel ratio and
 * draws the bars laid out for its size. Resolves the bars drawn (none when the canvas is not there).
 */
export function renderBarChart(
  scope: WechatMiniprogram.Component.TrivialInstance,
  selector: string,
  items: BarInput[],
  max: number,
  color: string,
): Promise<Bar[]> {
  return new Promise((resolve) => {
    wx.createSelectorQuery()
      .in(scope)
      .select(selector)
      .fields({ node: true, size: true })
      .exec((res: Array<{ node?: CanvasNode; width: number; height: number } | null>) => {
        const found = res?.[0];
        if (!found?.node) {
          resolve([]);
          return;
        }
        const box = { width: found.width, height: found.height };
        const ratio = pixelRatio();
        const canvas = found.node;
        canvas.width = box.width * ratio;
        canvas.height = box.height * ratio;
        const ctx = canvas.getContext('2d');
        ctx.scale(ratio, ratio);
        const bars = barLayout(items, max, box);
        drawBars(ctx, bars, box, color);
        resolve(bars);
      });
  });
}
