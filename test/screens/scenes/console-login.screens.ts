import { apiError, ok } from '../../miniprogram/helpers/fake-server';
import { tap, settle } from '../../miniprogram/helpers/render';
import { screens } from '../support/scene';

const TICKET = 'AbCdEfGhIjKlMnOpQrStUv';
const request = (state: 'pending' | 'approved' | 'expired') => ({
  state, browser: 'Chrome · Windows', ip: '183.14.132.57', requestedAt: '2026-03-04T02:30:00.000Z', expiresAt: '2026-03-04T02:32:00.000Z',
});

screens({
  name: 'console-login',
  page: 'packageConsole/pages/login/index',
  title: '登录控制台（我的 → 扫码登录控制台）',
  role: 'teacher',
  states: [
    {
      name: 'confirm',
      caption: '扫码后：哪个浏览器、从哪里、什么时候请求登录，确认或取消',
      query: { ticket: TICKET },
      server: { [`GET /console/login-tickets/${TICKET}/browser`]: () => ok(request('pending')) },
    },
    {
      name: 'approved',
      caption: '已确认：回到电脑上继续',
      query: { ticket: TICKET },
      server: {
        [`GET /console/login-tickets/${TICKET}/browser`]: () => ok(request('pending')),
        [`POST /console/login-tickets/${TICKET}/approve`]: () => ({ status: 204, body: '' }),
      },
      act: async (page) => {
        tap(page, '.approve');
        await settle();
      },
    },
    {
      name: 'expired',
      caption: '二维码已过期：在电脑上刷新后重扫',
      query: { ticket: TICKET },
      server: { [`GET /console/login-tickets/${TICKET}/browser`]: () => ok(request('expired')) },
    },
    {
      name: 'not-found',
      caption: '扫到的二维码不存在（例如服务器换了）',
      query: { ticket: TICKET },
      server: { [`GET /console/login-tickets/${TICKET}/browser`]: () => apiError(404, 'NOT_FOUND', 'This login QR code was not found.') },
    },
  ],
});
