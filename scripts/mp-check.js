#!/usr/bin/env node
/**
 * Offline checks of the built Mini Program (run `npm run build` first) with WeChat's own tooling:
 * analyseCode (every page, component and file resolves) and checkCodeQuality (every item passes).
 * Exits non-zero on any failure.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { ROOT, analyse, createProject } = require('./miniprogram-ci-project');

/**
 * Files the quality scan reports as unused that are not shipped: project.config.json's packOptions.ignore
 * leaves them out of uploads. Anything else unused fails the check, even though the scan itself passes that
 * item when `ignoreUploadUnusedFiles` is on.
 */
const NOT_SHIPPED = new Set(['tsconfig.json']);

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function unresolvedDeps(analysis) {
  const problems = [];
  for (const module of analysis.modules) {
    for (const error of module.errors ?? []) problems.push(`${module.path}: ${error.message ?? error}`);
    if (module.buildError) problems.push(`${module.path}: ${module.buildError.message ?? module.buildError}`);
    // Optional rule deps (e.g. the functional-pages folder) have no moduleId and no error: not a problem.
    for (const dep of module.deps ?? []) {
      if (dep.error) problems.push(`${module.path}: ${dep.error}`);
    }
  }
  return problems;
}

function qualityProblems(items) {
  const problems = items.filter((item) => !item.success).map((item) => `${item.name}: ${item.text}`);
  const unusedCode = items.find((item) => item.name === 'CONTAINS_UNUSED_CODES');
  const unusedFiles = (unusedCode?.detail ?? []).filter((file) => !NOT_SHIPPED.has(file));
  if (unusedFiles.length) problems.push(`unused files: ${unusedFiles.join(', ')}`);
  return problems;
}

/**
 * WeChat's scan flags a component no page uses at all, not a tag a page declares and never renders; with
 * lazyCodeLoading such a declaration still ships the component. Check each page/component of our own.
 */
/** A page's WXML with the templates it imports or includes (their tags are the page's to declare). */
function withImports(wxmlPath, seen = new Set()) {
  if (seen.has(wxmlPath) || !fs.existsSync(wxmlPath)) return '';
  seen.add(wxmlPath);
  const wxml = fs.readFileSync(wxmlPath, 'utf8');
  const imported = [...wxml.matchAll(/<(?:import|include)\s+src="([^"]+)"/g)].map((match) => path.resolve(path.dirname(wxmlPath), match[1]));
  return [wxml, ...imported.map((file) => withImports(file.endsWith('.wxml') ? file : `${file}.wxml`, seen))].join('\n');
}

function declaredButUnusedTags() {
  const problems = [];
  const dir = path.join(ROOT, 'miniprogram');
  const jsonFiles = fs
    .readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.json') && !file.startsWith('miniprogram_npm'));
  for (const jsonFile of jsonFiles) {
    const wxmlPath = path.join(dir, jsonFile.replace(/\.json$/, '.wxml'));
    if (!fs.existsSync(wxmlPath)) continue;
    const { usingComponents = {} } = JSON.parse(fs.readFileSync(path.join(dir, jsonFile), 'utf8'));
    const wxml = withImports(wxmlPath);
    for (const tag of Object.keys(usingComponents)) {
      if (!new RegExp(`<${tag}[\\s/>]`).test(wxml)) problems.push(`${jsonFile}: <${tag}> is declared but not used`);
    }
  }
  return problems;
}

async function main() {
  const started = Date.now();
  if (!fs.existsSync(path.join(ROOT, 'miniprogram', 'app.js'))) {
    throw new Error('miniprogram/app.js is missing: run `npm run build` first');
  }
  const ci = require('miniprogram-ci');
  const project = createProject();

  const analysis = await analyse(project);
  const items = await ci.checkCodeQuality(project);
  const problems = [...unresolvedDeps(analysis), ...qualityProblems(items), ...declaredButUnusedTags()];

  const sizes = items.find((item) => item.name === 'PACKAGE_SIZE_LIMIT')?.detail ?? {};
  const passed = items.filter((item) => item.success).length;
  console.log(`analyseCode: ${analysis.modules.length} modules, ${analysis.files.length} files`);
  console.log(`checkCodeQuality: ${passed}/${items.length} items pass`);
  for (const item of items) console.log(`  ${item.success ? 'ok  ' : 'FAIL'} ${item.name}`);
  console.log(`main package: ${kb(sizes.__APP__ ?? 0)} (limit 1.5 MB)`);
  // Every other key is a subpackage root (each limited to 2 MB).
  for (const [root, bytes] of Object.entries(sizes)) {
    if (root !== '__APP__' && root !== '__FULL__') console.log(`subpackage ${root}: ${kb(bytes)} (limit 2 MB)`);
  }
  if (sizes.__FULL__ !== undefined) console.log(`all packages: ${kb(sizes.__FULL__)}`);
  console.log(`mp-check took ${((Date.now() - started) / 1000).toFixed(1)}s`);

  if (problems.length) {
    console.error(`\nmp-check failed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    return 1;
  }
  console.log('mp-check passed');
  return 0;
}

// Explicit exits: miniprogram-ci leaves a file watcher running that would keep the process alive.
main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
