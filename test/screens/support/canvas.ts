/**
 * Canvas 2D in the screens: pages draw on `<canvas type="2d">` through wx.createSelectorQuery; here the
 * drawing is recorded (calls and property sets, in order; images as `{"image": src}`) and replayed on a
 * real canvas in Chromium.
 */
import { recordingCanvases as recording, type DrawOp } from '../../miniprogram/helpers/canvas';

export type { DrawOp };

/** Recorded drawings by canvas id (`rate-chart`), emptied for each state. */
export const drawings = new Map<string, DrawOp[]>();

/** wx stubs giving each selected canvas the CSS size it has on the page. */
export function recordingCanvases(size: { width: number; height: number }) {
  return recording({ size, drawings });
}
