/** Mini Program tests: miniprogram-simulate with WeChat's real WXML compiler and the real Vant components. */
module.exports = {
  displayName: 'miniprogram',
  rootDir: '../..',
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/test/miniprogram/**/*.test.ts'],
  // `npm run build` puts compiled .js beside each .ts in miniprogram/: load the TypeScript sources first.
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // What miniprogram_npm/@vant/weapp holds after a build is the package's lib/ folder.
  moduleNameMapper: { '^@vant/weapp/(.*)$': '<rootDir>/node_modules/@vant/weapp/lib/$1' },
  setupFiles: ['<rootDir>/test/miniprogram/helpers/setup-wx.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/miniprogram/helpers/setup-each.ts'],
  restoreMocks: true,
};
