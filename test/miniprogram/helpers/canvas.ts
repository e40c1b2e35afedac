/**
 * A 2D canvas for pages that draw through wx.createSelectorQuery: every call and property set on the
 * context is recorded in order (so tests can assert what was drawn, and the screens can replay it in
 * Chromium), and canvas.createImage() gives images that "load" on the next tick (or fail, for the
 * sources listed in `failing`).
 */

export type DrawOp = [string, ...unknown[]];

/** An image made by canvas.createImage(); it serializes as `{"image": src}` in recorded drawings. */
export class RecordedImage {
  width = 120;
  height = 120;
  onload: (() => void) | null = null;
  onerror: ((error: unknown) => void) | null = null;
  private source = '';

  constructor(private readonly failing: ReadonlySet<string>) {}

  get src(): string {
    return this.source;
  }

  set src(value: string) {
    this.source = value;
    setTimeout(() => (this.failing.has(value) ? this.onerror?.(new Error(`cannot load ${value}`)) : this.onload?.()), 0);
  }

  toJSON() {
    return { image: this.source };
  }
}

/** A context that records calls and property sets in `ops`. */
export function recordingContext(ops: DrawOp[]): Record<string, unknown> {
  return new Proxy({} as Record<string, unknown>, {
    get: (target, prop: string) => (prop in target ? target[prop] : (...args: unknown[]) => void ops.push([prop, ...args])),
    set: (target, prop: string, value) => {
      target[prop] = value;
      ops.push([`=${prop}`, value]);
      return true;
    },
  });
}

export interface RecordingCanvasOptions {
  /** The CSS size every selected canvas reports. */
  size: { width: number; height: number };
  /** Where each canvas's drawing goes, by its id (`#poster` -> `poster`). */
  drawings: Map<string, DrawOp[]>;
  /** Image sources that fail to load. */
  failing?: string[];
}

/** wx stubs (createSelectorQuery, getWindowInfo) giving each selected canvas a recording context. */
export function recordingCanvases({ size, drawings, failing = [] }: RecordingCanvasOptions) {
  const failures = new Set(failing);
  const canvasFor = (selector: string) => {
    const ops: DrawOp[] = [];
    drawings.set(selector.replace(/^#/, ''), ops);
    const ctx = recordingContext(ops);
    return { width: 0, height: 0, getContext: (type: string) => (type === '2d' ? ctx : null), createImage: () => new RecordedImage(failures) };
  };
  return {
    getWindowInfo: () => ({ pixelRatio: 1 }),
    createSelectorQuery: () => {
      const selected: string[] = [];
      const query = {
        in: () => query,
        select: (selector: string) => {
          selected.push(selector);
          return query;
        },
        fields: () => query,
        exec: (callback: (res: unknown[]) => void) => callback(selected.map((s) => ({ node: canvasFor(s), ...size }))),
      };
      return query;
    },
  };
}
