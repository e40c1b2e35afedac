// Prints one closing line for CI from jest's --json result files: "ci: N passed, N failed, N skipped".
const fs = require('node:fs');

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  const result = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests + result.numRuntimeErrorTestSuites;
  skipped += result.numPendingTests + result.numTodoTests;
  console.log(`${file.split('/').pop()}: ${result.numPassedTests} passed, ${result.numFailedTests} failed`);
}
console.log(`ci: ${passed} passed, ${failed} failed, ${skipped} skipped`);
// A skipped test is not a passing one: CI treats it as a failure.
process.exit(failed > 0 || skipped > 0 || passed === 0 ? 1 : 0);
