#!/usr/bin/env node
// Builds the native Groth16 prover `native/build/zksso-prover` with g++ (C++17, no other dependency).
// Run by `npm ci` (the root postinstall) and by `npm run build:native -w @zksso/circuits`.
//
// - Incremental: a stamp file holds the hash of the sources, the flags and the compiler version; a build
//   with the same hash is skipped.
// - Never fails an install: on error it prints a warning and exits 0; the native engine then answers
//   NATIVE_PROVER_UNAVAILABLE with instructions (or use ZKSSO_PROVER_ENGINE=snarkjs).
//   `--strict` exits 1 on failure instead (for CI steps that need the engine).
// - `--out <file>` and `--flags "<extra g++ flags>"` build a variant elsewhere (the sanitizer test uses them).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, 'src');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const strict = args.includes('--strict');
const out = resolve(option('--out') ?? join(here, 'build', 'zksso-prover'));
const extraFlags = (option('--flags') ?? '').split(/\s+/).filter(Boolean);
const cxx = process.env.CXX || 'g++';
// -march=native: the binary is built on the machine that runs it (npm ci), so it may use ADX/BMI2.
const flags = ['-std=c++17', '-O3', '-march=native', '-pthread', '-Wall', '-Wextra', ...extraFlags];

const say = (line) => console.log(`[zksso native prover] ${line}`);

function fail(reason) {
  say(`WARNING: could not build ${out}: ${reason}`);
  say('the native prover engine is unavailable until it builds: install g++ and run');
  say('  npm run build:native -w @zksso/circuits');
  say('or prove with snarkjs: ZKSSO_PROVER_ENGINE=snarkjs');
  process.exit(strict ? 1 : 0);
}

let compilerVersion;
try {
  compilerVersion = execFileSync(cxx, ['--version'], { encoding: 'utf8' }).split('\n')[0];
} catch (error) {
  fail(`no C++ compiler (${cxx}): ${error.message}`);
}

const sources = readdirSync(srcDir)
  .filter((f) => /\.(cpp|hpp)$/.test(f))
  .sort();
const hash = createHash('sha256');
hash.update(JSON.stringify({ flags, cxx, compilerVersion }));
for (const file of sources) hash.update(file).update(readFileSync(join(srcDir, file)));
const digest = hash.digest('hex');
const stampPath = `${out}.stamp`;

if (existsSync(out) && existsSync(stampPath) && readFileSync(stampPath, 'utf8').trim() === digest) {
  say(`${out} is up to date`);
  process.exit(0);
}

mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.tmp-${process.pid}`;
const command = [...flags, '-o', tmp, join(srcDir, 'main.cpp')];
say(`building ${out} (about 30 s): ${cxx} ${command.join(' ')}`);
const started = Date.now();
try {
  execFileSync(cxx, command, { stdio: 'inherit' });
  renameSync(tmp, out);
  writeFileSync(stampPath, `${digest}\n`);
} catch (error) {
  fail(error.message);
}
say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
