import { captureGroupProof, groupProofStore, PROOF_MAX_AGE_MS } from '../../miniprogram/stores/group-proof';

const groupEnterInfo = (encryptedData: string) =>
  jest.fn((options: WechatMiniprogram.GetGroupEnterInfoOption) =>
    options.success?.({ encryptedData, iv: 'IV', errMsg: 'getGroupEnterInfo:ok', cloudID: '' } as never),
  );

test('at launch from a group card (scene 1008) App takes the group proof with wx.getGroupEnterInfo', async () => {
  const getGroupEnterInfo = groupEnterInfo('FROM-LAUNCH');
  Object.assign(wx, { getGroupEnterInfo });
  const App = jest.fn();
  Object.assign(globalThis, { App });
  Object.assign(wx, { request: jest.fn() }); // the launch login is not this test's business
  await import('../../miniprogram/app');
  const app = App.mock.calls[0][0] as { onLaunch(o: object): void; onShow(o: object): void };

  app.onLaunch({ scene: 1008, path: 'pages/cohort/index', query: { id: '3' } });
  await Promise.resolve();

  expect(getGroupEnterInfo).toHaveBeenCalledTimes(1);
  expect(groupProofStore.current).toEqual({ encryptedData: 'FROM-LAUNCH', iv: 'IV' });

  // Back from the background through another group's card: the newer proof replaces it.
  Object.assign(wx, { getGroupEnterInfo: groupEnterInfo('FROM-SHOW') });
  app.onShow({ scene: 1008, path: 'pages/cohort/index', query: { id: '3' } });
  await Promise.resolve();
  expect(groupProofStore.current?.encryptedData).toBe('FROM-SHOW');
});

test('not opened from a group card: no proof is asked for', async () => {
  expect(await captureGroupProof({ scene: 1001 })).toBe(false);
  expect(wx.getGroupEnterInfo).not.toHaveBeenCalled();
  expect(groupProofStore.held).toBe(false);
});

test('when wx.getGroupEnterInfo fails, a shareTicket falls back to wx.getShareInfo', async () => {
  const getShareInfo = jest.fn((options: WechatMiniprogram.GetShareInfoOption) =>
    options.success?.({ encryptedData: 'SHARE', iv: 'IV2', errMsg: 'getShareInfo:ok', cloudID: '' } as never),
  );
  Object.assign(wx, { getShareInfo });

  expect(await captureGroupProof({ scene: 1044, shareTicket: 'ticket-1' })).toBe(true);
  expect(getShareInfo).toHaveBeenCalledWith(expect.objectContaining({ shareTicket: 'ticket-1' }));
  expect(groupProofStore.current).toEqual({ encryptedData: 'SHARE', iv: 'IV2' });
});

test('a proof is kept with the time it was obtained and not offered once too old for the server', () => {
  groupProofStore.hold({ encryptedData: 'OLD', iv: 'IV' }, 1_000);
  expect(groupProofStore.obtainedAt).toBe(1_000);
  groupProofStore.tick(1_000 + PROOF_MAX_AGE_MS - 1);
  expect(groupProofStore.held).toBe(true);
  groupProofStore.tick(1_000 + PROOF_MAX_AGE_MS);
  expect(groupProofStore.held).toBe(false);
  expect(groupProofStore.current).toBeUndefined();
});
