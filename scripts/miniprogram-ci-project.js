/**
 * The miniprogram-ci Project shared by build-miniprogram.js and mp-check.js (offline calls only:
 * analyseCode, checkCodeQuality).
 */
'use strict';

const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function createProject() {
  const ci = require('miniprogram-ci');
  const { appid } = require(path.join(ROOT, 'project.config.json'));
  return new ci.Project({
    appid,
    type: 'miniProgram',
    projectPath: ROOT,
    // Required by the constructor, used only to sign uploads/previews, which these scripts never do.
    privateKey: 'offline-no-upload',
    ignores: ['node_modules/**/*'],
  });
}

/**
 * WeChat's dependency analysis from app.json: `files` (paths under miniprogram/; `moduleId` null when nothing
 * reaches the file) and `modules` (pages, components, scripts, each with its resolved or failed `deps`).
 */
async function analyse(project) {
  const ci = require('miniprogram-ci');
  const result = await ci.analyseCode(project, { silent: true });
  if (!result) throw new Error('analyseCode returned nothing');
  return result;
}

module.exports = { ROOT, createProject, analyse };
