#!/usr/bin/env node
// Makes sure contracts/node_modules holds exactly what package-lock.json pins, installing only
// when node_modules is missing or was installed from another lock file. The Maven build calls
// this before compiling, so a fresh clone needs nothing but Node.js and npm.
// It runs `npm install --no-save` against the committed lock rather than `npm ci`: the registry
// reachable here serves only the linux-amd64 Anvil build, so the other platforms' optional
// packages are absent from the lock and `npm ci` refuses it as out of sync. With the lock present
// and --no-save, npm installs the pinned versions and changes nothing in the lock.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.ridecoop-lock.sha256');
const digest = crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex');

const required = ['solc/package.json', '@openzeppelin/contracts/package.json', '@foundry-rs/anvil/package.json'];
const present = required.every((p) => fs.existsSync(path.join(root, 'node_modules', p)));
const current = fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === digest;

if (present && current) {
  console.log('[toolchain] node_modules matches package-lock.json');
  process.exit(0);
}
console.log('[toolchain] installing the pinned npm toolchain from package-lock.json');
// --ignore-scripts: Anvil's postinstall would try to fetch a binary from the network; the
// platform package (e.g. @foundry-rs/anvil-linux-amd64) already ships it through the registry.
execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm',
  ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save'], { cwd: root, stdio: 'inherit' });
fs.writeFileSync(stamp, digest + '\n');
console.log('[toolchain] done');
