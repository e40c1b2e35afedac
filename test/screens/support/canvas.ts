/**
 * Canvas 2D in the screens: pages draw on `<canvas type="2d">` through wx.createSelectorQuery; here the
 * drawing is recorded (calls and property sets, in order) and replayed on a real canvas in Chromium.
 */

export type DrawOp = [string, ...unknown[]];

/** Recorded drawings by canvas id (`rate-chart`), emptied for each state. */
export const drawings = new Map<string, DrawOp[]>();

/** wx stubs giving each selected canvas the CSS size it has on the page. */
export function recordingCanvases(size: { width: number; height: number }) {
  const canvasFor = (selector: string) => {
    const ops: DrawOp[] = [];
    drawings.set(selector.replace(/^#/, ''), ops);
    const ctx = new Proxy({} as Record<string, unknown>, {
      get: (target, prop: string) => (prop in target ? target[prop] : (...args: unknown[]) => void ops.push([prop, ...args])),
      set: (target, prop: string, value) => {
        target[prop] = value;
        ops.push([`=${prop}`, value]);
        return true;
      },
    });
    return { width: 0, height: 0, getContext: (type: string) => (type === '2d' ? ctx : null) };
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
