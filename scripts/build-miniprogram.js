#!/usr/bin/env node
/**
 * Builds the Mini Program in place: TypeScript -> .js beside the sources, then miniprogram/miniprogram_npm
 * (what WeChat DevTools' "Build npm" does) from the Mini Program's own packages only.
 *
 * The root package.json also lists the server's runtime packages (koa, typeorm, ...). packNpmManually packs
 * every `dependencies` entry, so it is given a generated package.json that lists only MINIPROGRAM_PACKAGES,
 * in a temp dir with a copy of those packages (and their own dependencies) from the root node_modules.
 * Copies, not a symlink: packNpmManually finds packages with a glob that does not enter symlinked folders.
 *
 * Finally miniprogram_npm is pruned to the files WeChat's own dependency analysis (analyseCode) reaches from
 * app.json, so only the Vant components in use (and what they need) are shipped and counted.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, analyse, createProject } = require('./miniprogram-ci-project');

/** The npm packages the Mini Program requires at run time (versions come from the root package.json). */
const MINIPROGRAM_PACKAGES = ['@vant/weapp', 'mobx-miniprogram', 'mobx-miniprogram-bindings'];

const MINIPROGRAM_DIR = path.join(ROOT, 'miniprogram');
const NPM_DIST = path.join(MINIPROGRAM_DIR, 'miniprogram_npm');

/** Every .js in miniprogram/ (outside miniprogram_npm) is compiled output: start clean, so no stale module survives. */
function removeCompiledJs() {
  for (const file of listFiles(MINIPROGRAM_DIR)) {
    if (file.endsWith('.js') && !file.startsWith(NPM_DIST + path.sep)) fs.rmSync(file);
  }
}

function compileTypeScript() {
  removeCompiledJs();
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  execFileSync(process.execPath, [tsc, '-p', path.join(MINIPROGRAM_DIR, 'tsconfig.json')], { stdio: 'inherit' });
}

/** A throwaway package whose dependencies are the Mini Program's packages only. */
function makeMiniprogramPackage() {
  const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const dependencies = {};
  for (const name of MINIPROGRAM_PACKAGES) {
    const version = rootPackage.dependencies?.[name];
    if (!version) throw new Error(`${name} must be in the root package.json "dependencies"`);
    dependencies[name] = version;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'miniprogram-npm-'));
  const packageJsonPath = path.join(dir, 'package.json');
  fs.writeFileSync(packageJsonPath, JSON.stringify({ name: 'miniprogram-deps', private: true, dependencies }, null, 2));
  copyWithDependencies(MINIPROGRAM_PACKAGES, path.join(dir, 'node_modules'));
  return { dir, packageJsonPath };
}

function copyWithDependencies(names, targetNodeModules, copied = new Set()) {
  for (const name of names) {
    if (copied.has(name)) continue;
    copied.add(name);
    const source = path.join(ROOT, 'node_modules', name);
    fs.cpSync(source, path.join(targetNodeModules, name), { recursive: true, dereference: true });
    const { dependencies = {} } = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
    copyWithDependencies(Object.keys(dependencies), targetNodeModules, copied);
  }
}

async function packNpm() {
  // miniprogram-ci is heavy; load it only when packing.
  const ci = require('miniprogram-ci');
  const { dir, packageJsonPath } = makeMiniprogramPackage();
  try {
    fs.rmSync(NPM_DIST, { recursive: true, force: true });
    const result = await ci.packNpmManually({ packageJsonPath, miniprogramNpmDistDir: MINIPROGRAM_DIR });
    for (const warning of result.warnList) console.warn(`packNpm warning: ${warning.msg} (${warning.jsPath})`);
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails the build if anything but the Mini Program's packages ended up in miniprogram_npm. */
function assertPackedOnly(expected) {
  const packed = fs
    .readdirSync(NPM_DIST)
    .flatMap((entry) =>
      entry.startsWith('@') ? fs.readdirSync(path.join(NPM_DIST, entry)).map((name) => `${entry}/${name}`) : [entry],
    )
    .sort();
  const unexpected = packed.filter((name) => !expected.includes(name));
  const missing = expected.filter((name) => !packed.includes(name));
  if (unexpected.length || missing.length) {
    throw new Error(`miniprogram_npm: unexpected [${unexpected.join(', ')}], missing [${missing.join(', ')}]`);
  }
  return packed;
}

function listFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function removeEmptyDirs(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyDirs(path.join(dir, entry.name));
  }
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}

/** Deletes the files of miniprogram_npm that nothing reaches; returns [kept, removed] counts. */
async function pruneUnusedNpmFiles() {
  const { files } = await analyse(createProject());
  const used = new Set(files.filter((file) => file.moduleId).map((file) => path.join(MINIPROGRAM_DIR, file.path)));
  const all = listFiles(NPM_DIST);
  const unused = all.filter((file) => !used.has(file));
  for (const file of unused) fs.rmSync(file);
  removeEmptyDirs(NPM_DIST);
  return [all.length - unused.length, unused.length];
}

async function main() {
  const started = Date.now();
  compileTypeScript();
  await packNpm();
  const packed = assertPackedOnly(MINIPROGRAM_PACKAGES);
  const [kept, removed] = await pruneUnusedNpmFiles();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`Mini Program built in ${seconds}s`);
  console.log(`miniprogram_npm: ${packed.join(', ')} (${kept} files in use, ${removed} unused files removed)`);
}

// Explicit exits: miniprogram-ci leaves a file watcher running that would keep the process alive.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
