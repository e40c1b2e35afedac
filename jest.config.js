/** Two projects: the API server against a real database (node), the Mini Program in jsdom. */
module.exports = {
  projects: ['<rootDir>/test/server/jest.config.js', '<rootDir>/test/miniprogram/jest.config.js'],
};
