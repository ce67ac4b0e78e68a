#!/usr/bin/env node
// Compiles every contract under src/main/solidity with solc-js (standard JSON) and writes, per
// contract, <Name>.abi, <Name>.bin and <Name>.gas.json into the output folder (default
// target/solidity), plus build-info.json naming the compiler and settings, and index.json: the
// contract names as a JSON array, so Java code can find every ABI on the classpath (a jar cannot
// be listed; org.ridecoop.chain.RevertDecoder reads solidity/index.json). The EVM version is set
// explicitly: OpenZeppelin >= 5.5 needs cancun, and the chains we run on (Anvil --hardfork cancun,
// Besu's genesis) are pinned to the same fork.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'src', 'main', 'solidity');
const outDir = path.resolve(process.argv[2] || path.join(root, 'target', 'solidity'));
const EVM_VERSION = 'cancun';

function listSources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listSources(p) : e.name.endsWith('.sol') ? [p] : [];
  });
}

const sources = {};
for (const file of listSources(srcDir)) {
  sources[path.relative(srcDir, file).split(path.sep).join('/')] = { content: fs.readFileSync(file, 'utf8') };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 10000 },
    viaIR: true,
    evmVersion: EVM_VERSION,
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.gasEstimates'] } },
  },
};

// solc-js import callback: synchronous, resolves project files first, then node_modules
// (OpenZeppelin's relative imports arrive here already resolved to '@openzeppelin/...').
function findImports(name) {
  for (const base of [srcDir, path.join(root, 'node_modules')]) {
    const p = path.join(base, name);
    if (fs.existsSync(p)) return { contents: fs.readFileSync(p, 'utf8') };
  }
  return { error: 'not found: ' + name };
}

// Incremental builds: the output depends only on the compiler and the standard-JSON input (the
// project's sources, the settings and the imported OpenZeppelin files), so when their hash matches
// the one recorded in build-info.json the previous output is kept. A clean build always compiles.
const crypto = require('crypto');
function inputHash() {
  const h = crypto.createHash('sha256').update(solc.version()).update(JSON.stringify(input));
  const oz = path.join(root, 'node_modules', '@openzeppelin', 'contracts', 'package.json');
  if (fs.existsSync(oz)) h.update(fs.readFileSync(oz));
  return h.digest('hex');
}
const hash = inputHash();
const infoFile = path.join(outDir, 'build-info.json');
if (fs.existsSync(infoFile)) {
  try {
    const info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
    const complete = info.inputHash === hash && info.contracts.every((c) =>
      ['.abi', '.bin', '.gas.json'].every((ext) => fs.existsSync(path.join(outDir, c.name + ext))));
    if (complete) {
      console.log(`[solc] ${info.contracts.length} contracts up to date (input ${hash.slice(0, 12)}) in ${outDir}`);
      process.exit(0);
    }
  } catch (e) {
    // unreadable build-info: compile again
  }
}

const started = Date.now();
console.log(`[solc] compiling ${Object.keys(sources).length} files with solc ${solc.version()} (evm ${EVM_VERSION})`);
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) {
  if (e.severity !== 'error' && /^(contracts|[A-Z])/.test(e.sourceLocation ? e.sourceLocation.file : '')) {
    console.warn('[solc] ' + e.formattedMessage.trim());
  }
}
if (errors.length) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}

fs.mkdirSync(outDir, { recursive: true });
const written = [];
for (const [unit, contracts] of Object.entries(output.contracts)) {
  if (unit.startsWith('@openzeppelin/')) continue;
  for (const [name, c] of Object.entries(contracts)) {
    const bin = c.evm.bytecode.object;
    if (!bin || c.abi.length === 0) continue; // interfaces, abstract contracts, internal-only libraries
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(outDir, name + '.bin'), bin);
    fs.writeFileSync(path.join(outDir, name + '.gas.json'), JSON.stringify(c.evm.gasEstimates, null, 1));
    written.push({ name, source: unit, runtimeBytes: c.evm.deployedBytecode.object.length / 2 });
  }
}
fs.writeFileSync(path.join(outDir, 'build-info.json'), JSON.stringify({
  compiler: 'solc-js ' + solc.version(), settings: input.settings, inputHash: hash, contracts: written }, null, 1));
fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(written.map((w) => w.name).sort()));
for (const w of written) {
  const flag = w.runtimeBytes > 24576 ? '  OVER EIP-170 LIMIT' : '';
  console.log(`[solc] ${w.name.padEnd(24)} ${String(w.runtimeBytes).padStart(6)} bytes runtime${flag}`);
}
console.log(`[solc] ${written.length} contracts in ${Date.now() - started} ms -> ${outDir}`);
