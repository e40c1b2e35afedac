import { apiError, ok } from '../../miniprogram/helpers/fake-server';
import { POSTER_SIZE } from '../../../miniprogram/packageShare/utils/poster';
import { certificate, cohort, inviteCode, posterCode, speaking } from '../support/fixtures';
import { recordingCanvases } from '../support/canvas';
import { offline, pending, screens } from '../support/scene';

const canvases = recordingCanvases(POSTER_SIZE);
const withCover = cohort({ coverImageUrl: '/uploads/images/fixtures/sunrise.jpg' });
const common = { 'GET /me/invite-code?cohortId=3&source=card': () => ok(inviteCode()), 'GET /me/invite-code?cohortId=2&source=card': () => ok(inviteCode(2)) };

screens({
  name: 'share-poster',
  page: 'packageShare/pages/poster/index',
  title: '邀请海报 · 日签 · 结业证书',
  role: 'member',
  states: [
    { name: 'poster', caption: '邀请海报：封面、我的头像和昵称、连续天数、我的小程序码（新朋友扫码加入、打卡后我得积分）', query: { id: '3', kind: 'poster' }, wx: canvases,
      server: { ...common, 'GET /cohorts/3': () => ok(withCover), 'GET /cohorts/3/poster-code': () => ok(posterCode()) } },
    { name: 'daily', caption: '日签：今天是第几天、连续和累计天数、今日主题、小程序码', query: { id: '3', kind: 'daily' }, wx: canvases,
      server: { ...common, 'GET /cohorts/3': () => ok(cohort({ me: { enrolled: true, checkedInToday: true, todayCheckinId: 131, streak: { current: 4, longest: 4, total: 7 }, missedDays: 1, makeUpsLeft: 2 } })), 'GET /cohorts/3/poster-code': () => ok(posterCode()) } },
    { name: 'certificate', caption: '结业证书：姓名、打卡期、天数、最长连续、积分；本期已结束时图上没有小程序码', query: { id: '2', kind: 'certificate' }, wx: canvases,
      server: { ...common, 'GET /me/cohorts/2/certificate': () => ok(certificate()), 'GET /cohorts/2/poster-code': () => apiError(409, 'COHORT_CLOSED', 'closed') } },
    { name: 'certificate-not-yet', caption: '还没打满全部天数：说明全部打卡完成后才能领取', query: { id: '3', kind: 'certificate' },
      server: { ...common, 'GET /me/cohorts/3/certificate': () => apiError(409, 'NOT_COMPLETED', 'not yet'), 'GET /cohorts/3/poster-code': () => ok(posterCode()) } },
    { name: 'code-limited', caption: '微信的小程序码生成太频繁：说明原因，可以重新生成', query: { id: '3', kind: 'poster' },
      server: { ...common, 'GET /cohorts/3': () => ok(speaking()), 'GET /cohorts/3/poster-code': () => apiError(429, 'WXACODE_RATE_LIMITED', 'later') } },
    { name: 'loading', caption: '正在生成', query: { id: '3', kind: 'poster' }, server: { ...common, 'GET /cohorts/3': pending, 'GET /cohorts/3/poster-code': pending } },
    { name: 'offline', caption: '断网', query: { id: '3', kind: 'poster' }, server: { ...common, 'GET /cohorts/3': offline, 'GET /cohorts/3/poster-code': offline } },
  ],
});
