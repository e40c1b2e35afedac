/**
 * `npm run screens`, first half: each scene file renders one Mini Program page in its states with
 * miniprogram-simulate (WeChat's WXML compiler, real Vant components) and writes what it drew to
 * SCREENS_OUT; scripts/screens then photographs those in Chromium. One page per file: simulate registers
 * components per module registry, so two pages in one file would interfere.
 */
const miniprogram = require('../miniprogram/jest.config');

module.exports = {
  ...miniprogram,
  displayName: 'screens',
  testMatch: ['<rootDir>/test/screens/scenes/**/*.screens.ts'],
  setupFilesAfterEnv: [...miniprogram.setupFilesAfterEnv, '<rootDir>/test/screens/support/reset-stores.ts'],
};
