/**
 * The setData measurement of `npm run bench -- miniprogram`: the Mini Program test setup
 * (test/miniprogram/jest.config.js) with only test/bench/*.bench.ts. Not part of `npm test`.
 */
const base = require('../miniprogram/jest.config.js');

module.exports = {
  ...base,
  displayName: 'bench-setdata',
  testMatch: ['<rootDir>/test/bench/**/*.bench.ts'],
};
