/**
 * The setData patch that appends `items` to the list at `key` after `start` items, plus `extra`
 * fields: path keys, so only the new page travels to the view layer (setData is capped at 1 MB).
 */
export function appendPatch(key: string, start: number, items: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const patch: Record<string, unknown> = { ...extra };
  items.forEach((item, i) => {
    patch[`${key}[${start + i}]`] = item;
  });
  return patch;
}
