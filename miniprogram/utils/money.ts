/** Prices travel in fen (1/100 yuan); people read yuan: 9900 -> `99`, 9990 -> `99.9`, 9999 -> `99.99`. */
export function yuan(fen: number): string {
  const whole = Math.floor(Math.abs(fen) / 100);
  const cents = Math.abs(fen) % 100;
  const sign = fen < 0 ? '-' : '';
  if (cents === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** `¥99.9`. */
export function priceLabel(fen: number): string {
  return `¥${yuan(fen)}`;
}

/** `0.853` -> `85%` (rates arrive as 0..1). */
export function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}
