/**
 * Runs the built command line, `node dist/chronoprop.js`, as a user would. `npm test` builds it first; run
 * `npm run build` before running these files alone (a stale bundle is refused rather than silently tested).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'chronoprop.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureBuilt(): void {
  if (!existsSync(BIN)) throw new Error('dist/chronoprop.js is missing: run `npm run build` (npm test does)');
  const src = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'models')));
  if (statSync(BIN).mtimeMs < src) throw new Error('dist/chronoprop.js is older than src/: run `npm run build` (npm test does)');
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** True if text has a JavaScript stack frame in it. */
export const hasStack = (text: string) => /\n\s+at .+:\d+:\d+/.test(text);

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Starts the built command line without waiting for it (stdout ignored, stderr collected), for tests that act on
 * the running process; `exited` resolves when it ends. `env` is added to this process's environment.
 */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; exited: Promise<Exited> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<Exited>((done) => child.on('exit', (code, signal) => done({ code, signal, stderr })));
  return { child, exited };
}
