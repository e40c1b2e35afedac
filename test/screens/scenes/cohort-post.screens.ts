import { ok } from '../../miniprogram/helpers/fake-server';
import { typeInto } from '../../miniprogram/helpers/render';
import { comments, feed } from '../support/fixtures';
import { offline, pending, screens } from '../support/scene';

const amy = () => feed()[1];
const routes = (items = comments()) => ({
  'GET /checkins/130': () => ok({ ...amy(), commentCount: items.length }),
  'GET /checkins/130/comments?limit=20': () => ok({ items, nextCursor: null }),
});

screens({
  name: 'cohort-post',
  page: 'pages/cohort/post',
  title: '打卡详情（点赞、评论）',
  role: 'member',
  states: [
    { name: 'normal', caption: '一条打卡的录音、照片、赞和评论（老师的评论有标记，我的可删除）', query: { id: '130' }, server: routes(), fullPage: true },
    { name: 'typing', caption: '写评论：底部输入框，发送', query: { id: '130' }, server: routes(),
      act: (page) => typeInto(page, '.composer__input', 'Your pronunciation of "seafood" is great!') },
    { name: 'held', caption: '我的评论被内容检查暂扣：只有我和老师看得到', query: { id: '130' },
      server: routes([{ ...comments()[0], text: '资料可以加我微信发你', heldForReview: true }, ...comments().slice(1)]) },
    { name: 'no-comments', caption: '还没有评论', query: { id: '130' }, server: routes([]) },
    { name: 'loading', caption: '加载中', query: { id: '130' }, server: { 'GET /checkins/130': pending, 'GET /checkins/130/comments?limit=20': pending } },
    { name: 'offline', caption: '断网', query: { id: '130' }, server: { 'GET /checkins/130': offline, 'GET /checkins/130/comments?limit=20': offline } },
  ],
});
