/** Builds dist/console first when it is missing or older than its sources (as npm start does). */
module.exports = async () => {
  require('../../../scripts/ensure-console.js');
};
