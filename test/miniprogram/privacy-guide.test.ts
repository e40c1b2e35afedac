import fs from 'node:fs';
import path from 'node:path';

/**
 * docs/privacy-guide.md is what the operator declares in 《小程序用户隐私保护指引》: WeChat disables every
 * privacy API the guide does not declare. This keeps the document and the Mini Program in step: a privacy
 * API or component used in miniprogram/ must be in the document's first table, and the table names
 * nothing the Mini Program does not use.
 */
const ROOT = path.resolve(__dirname, '../..');
const MINIPROGRAM = path.join(ROOT, 'miniprogram');

/** WeChat's privacy APIs (its privacy-protection guide's list, plus scanCode, which reaches the camera). */
const privacyApis = [
  'chooseImage', 'chooseMedia', 'chooseVideo', 'chooseMessageFile', 'chooseAddress', 'chooseInvoice', 'chooseInvoiceTitle',
  'chooseLicensePlate', 'startRecord', 'getRecorderManager', 'joinVoIPChat', 'createCameraContext', 'createVKSession',
  'getClipboardData', 'setClipboardData', 'saveImageToPhotosAlbum', 'saveVideoToPhotosAlbum', 'getLocation', 'getFuzzyLocation',
  'chooseLocation', 'choosePoi', 'startLocationUpdate', 'startLocationUpdateBackground', 'getWeRunData', 'addPhoneContact',
  'chooseContact', 'openBluetoothAdapter', 'getUserProfile', 'getUserInfo', 'scanCode',
];
/** Privacy components, by the markup that makes them one. */
const privacyComponents: Array<{ markup: string; pattern: RegExp }> = [
  { markup: '<input type="nickname">', pattern: /<input[^>]*type="nickname"/ },
  { markup: '<button open-type="chooseAvatar">', pattern: /open-type="chooseAvatar"/ },
  { markup: '<button open-type="getPhoneNumber">', pattern: /open-type="getPhoneNumber"/ },
  { markup: '<button open-type="getRealtimePhoneNumber">', pattern: /open-type="getRealtimePhoneNumber"/ },
  { markup: '<camera>', pattern: /<camera[\s>]/ },
];

function sources(dir: string, extension: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'miniprogram_npm' || entry.name === 'node_modules' ? [] : sources(full, extension);
    return entry.name.endsWith(extension) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function usedInMiniProgram(): string[] {
  const code = sources(MINIPROGRAM, '.ts').map((file) => fs.readFileSync(file, 'utf8')).join('\n');
  const markup = sources(MINIPROGRAM, '.wxml').map((file) => fs.readFileSync(file, 'utf8')).join('\n');
  return [
    ...privacyApis.filter((name) => new RegExp(`\\bwx\\.${name}\\s*\\(`).test(code)).map((name) => `wx.${name}`),
    ...privacyComponents.filter((c) => c.pattern.test(markup)).map((c) => c.markup),
  ];
}

/** The API/component column of the document's first table (the rows the operator declares). */
function declared(): string[] {
  const text = fs.readFileSync(path.join(ROOT, 'docs/privacy-guide.md'), 'utf8');
  const section = text.split('## Declared in the guide')[1]?.split('\n## ')[0] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| 个人信息') && !line.startsWith('|---'));
  return rows.flatMap((row) => [...(row.split('|')[2] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

test('every privacy API and component the Mini Program uses is declared in docs/privacy-guide.md', () => {
  const used = usedInMiniProgram();
  // The scan itself works: these are used today (photos, recording, the address, the avatar).
  expect(used).toEqual(expect.arrayContaining(['wx.chooseMedia', 'wx.getRecorderManager', 'wx.chooseAddress', '<input type="nickname">']));
  const missing = used.filter((api) => !declared().includes(api));
  expect(missing).toEqual([]);
});

test('the document declares nothing the Mini Program does not use', () => {
  const used = new Set(usedInMiniProgram());
  const stale = declared().filter((api) => (api.startsWith('wx.') || api.startsWith('<')) && api !== 'wx.authorize' && !used.has(api));
  expect(stale).toEqual([]);
});
