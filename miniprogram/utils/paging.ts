/** What showPage needs of a page or component. */
interface ListHost {
  data: object;
  setData(patch: Record<string, unknown>): void;
}

/**
 * Shows a loaded page of a cursor-paged list held at `key`: the first page replaces the list, later
 * pages are appended with path keys so only the new items travel to the view (setData is capped at 1 MB).
 */
export function showPage(host: ListHost, key: string, views: unknown[], first: boolean, nextCursor: string | null): void {
  if (first) {
    host.setData({ [key]: views, nextCursor, loaded: true });
    return;
  }
  const start = ((host.data as Record<string, unknown[]>)[key] ?? []).length;
  const patch: Record<string, unknown> = { nextCursor };
  views.forEach((view, i) => {
    patch[`${key}[${start + i}]`] = view;
  });
  host.setData(patch);
}
