import { renderPage, visibleText } from './helpers/render';

test('the mall says it opens soon', () => {
  const page = renderPage('mall');
  const empty = page.querySelector('.coming-soon');

  // Rendered by van-empty's own template from its `description` property.
  expect(empty && visibleText(empty)).toBe('积分商城即将开放');
});
