/**
 * The console end to end: a real server process on a temporary SQLite database serving the built
 * console, driven in Debian's chromium by playwright-core (never a downloaded browser). One browser
 * and one server for the whole run; `npm run test:console` (CI runs it after `npm run build`).
 */
const server = require('../server/jest.config.js');

module.exports = {
  ...server,
  displayName: 'console',
  testMatch: ['<rootDir>/test/console/**/*.test.ts'],
  globalSetup: '<rootDir>/test/console/support/build-console.js',
  testTimeout: 60_000,
  maxWorkers: 1,
};
