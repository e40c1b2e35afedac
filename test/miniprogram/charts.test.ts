import { barLayout, drawBars, MIN_LABEL_SPACING, type BarInput } from '../../miniprogram/packageOperator/utils/charts';

/** A 2D context that keeps the text it was asked to draw, with where. */
function recordingContext() {
  const texts: { text: string; x: number; y: number }[] = [];
  const ctx = {
    fillStyle: '', font: '', textAlign: '',
    clearRect: () => undefined, fillRect: () => undefined, scale: () => undefined,
    fillText: (text: string, x: number, y: number) => void texts.push({ text, x, y }),
  };
  return { ctx, texts };
}

const box = { width: 323, height: 160 };
const days = (n: number): BarInput[] => Array.from({ length: n }, (_, i) => ({ amount: 0.7 + (i % 3) / 10, value: `${70 + (i % 3) * 10}%`, label: `${i + 1}` }));

test("a 21-day cohort's daily rate chart labels bars without overlapping values (the picture showed 96%93%91%…)", () => {
  const { ctx, texts } = recordingContext();
  drawBars(ctx, barLayout(days(21), 1, box), box, '#07c160');
  const values = texts.filter((t) => t.text.endsWith('%'));
  expect(values.length).toBeGreaterThan(5);
  for (let i = 1; i < values.length; i++) expect(values[i].x - values[i - 1].x).toBeGreaterThanOrEqual(MIN_LABEL_SPACING - 0.01);
  expect(values.at(-1)?.text).toBe(texts.filter((t) => t.text.endsWith('%')).at(-1)?.text);
});

test('a 7-day chart still labels every bar', () => {
  const { ctx, texts } = recordingContext();
  drawBars(ctx, barLayout(days(7), 1, box), box, '#07c160');
  expect(texts.filter((t) => t.text.endsWith('%'))).toHaveLength(7);
  expect(texts.filter((t) => /^\d+$/.test(t.text)).map((t) => t.text)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
});
