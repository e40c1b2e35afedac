#!/usr/bin/env node
/**
 * Prints, as one JSON line, the package sizes WeChat's checkCodeQuality reports for the built Mini
 * Program of the project at argv[2] (a copy of this repository, built by scripts/build-miniprogram.js).
 */
'use strict';

const path = require('node:path');

async function main() {
  const projectPath = path.resolve(process.argv[2]);
  const { createProject } = require(path.join(projectPath, 'scripts', 'miniprogram-ci-project.js'));
  const ci = require('miniprogram-ci');
  const items = await ci.checkCodeQuality(createProject());
  const sizes = items.find((item) => item.name === 'PACKAGE_SIZE_LIMIT');
  const failed = items.filter((item) => !item.success).map((item) => item.name);
  process.stdout.write(`${JSON.stringify({ sizes: sizes ? sizes.detail : null, failed, items: items.length })}\n`);
}

// miniprogram-ci leaves a watcher running: exit explicitly.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
