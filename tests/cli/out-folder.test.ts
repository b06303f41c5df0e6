/**
 * `chronoprop run` never deletes or overwrites what the user did not ask to replace: an --out path holding a file or
 * a folder chronoprop did not write is refused with one line and exit code 2 before anything is simulated; a
 * previous results folder is replaced only with --force; `--mode rate` has its own default folder; `compare` refuses
 * the same way. Each case checks that what was there is still there, byte for byte.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt } from './cli.js';
import { selfExcitation } from '../fixtures/runaway.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-cli-out-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh working folder holding keep.txt. */
function workdir(name: string): string {
  const w = join(dir, name);
  mkdirSync(w);
  writeFileSync(join(w, 'keep.txt'), 'mine');
  return w;
}

// 100 s of CUBA takes minutes: a refusal that came after simulating would run past cli()'s 60 s limit.
const long = ['cuba', '--set', 'duration_ms=100000', '-q'];
const small = ['single-neuron', '--set', 'duration_ms=50', '-q', '--no-report'];
const notOurs = (p: string, sign = 'run.json', what = 'results folder') =>
  `error: output folder ${p} exists and is not a chronoprop ${what} (no ${sign} of ours in it); choose another with --out\n`;

describe('run refuses an --out that it did not write, before simulating', () => {
  test('an ordinary file', () => {
    const w = workdir('file');
    expect(cli(['run', ...long, '--out', 'keep.txt'], w)).toEqual({
      code: 2, stdout: '', stderr: 'error: output folder keep.txt exists and is not a folder; choose another with --out\n',
    });
    expect(readFileSync(join(w, 'keep.txt'), 'utf8')).toBe('mine');
  });

  test('a folder of the user, even with --force', () => {
    const w = workdir('folder');
    mkdirSync(join(w, 'notres'));
    writeFileSync(join(w, 'notres', 'keep.txt'), 'mine');
    for (const force of [[], ['--force']]) {
      expect(cli(['run', ...long, '--out', 'notres', ...force], w)).toEqual({ code: 2, stdout: '', stderr: notOurs('notres') });
    }
    expect(readFileSync(join(w, 'notres', 'keep.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(w).sort()).toEqual(['keep.txt', 'notres']);
  });

  test('the current folder (-o .)', () => {
    const w = workdir('dot');
    expect(cli(['run', ...long, '-o', '.', '--force'], w)).toEqual({ code: 2, stdout: '', stderr: notOurs('.') });
    expect(readdirSync(w)).toEqual(['keep.txt']);
  });

  test('a folder with a run.json that chronoprop did not write', () => {
    const w = workdir('fake');
    mkdirSync(join(w, 'r'));
    writeFileSync(join(w, 'r', 'run.json'), '{"format": "someone-else/1"}');
    expect(cli(['run', ...long, '--out', 'r', '--force'], w)).toEqual({ code: 2, stdout: '', stderr: notOurs('r') });
    expect(readFileSync(join(w, 'r', 'run.json'), 'utf8')).toBe('{"format": "someone-else/1"}');
  });

  test('the default folder, results/<name>, when it is not a results folder', () => {
    const w = workdir('default');
    mkdirSync(join(w, 'results', 'cuba'), { recursive: true });
    writeFileSync(join(w, 'results', 'cuba', 'notes.txt'), 'mine');
    expect(cli(['run', ...long, '--force'], w)).toEqual({ code: 2, stdout: '', stderr: notOurs('results/cuba') });
    expect(readdirSync(join(w, 'results', 'cuba'))).toEqual(['notes.txt']);
  });
});

describe('a previous results folder is replaced only with --force', () => {
  const w = join(dir, 'again');
  const runJson = () => JSON.parse(readFileSync(join(w, 'prev', 'run.json'), 'utf8'));
  beforeAll(() => {
    mkdirSync(w);
    expect(cli(['run', ...small, '--seed', '1', '--out', 'prev'], w).code).toBe(0);
  }, 60_000);

  test('without --force: one line saying what to do, the folder untouched', () => {
    const before = readFileSync(join(w, 'prev', 'run.json'), 'utf8');
    expect(cli(['run', ...long, '--out', 'prev'], w)).toEqual({
      code: 2, stdout: '', stderr: 'error: output folder prev holds a previous results folder; pass --force to replace it, or choose another with --out\n',
    });
    expect(readFileSync(join(w, 'prev', 'run.json'), 'utf8')).toBe(before);
  });

  test('with --force: replaced, and nothing left beside it', () => {
    expect(runJson().seed).toBe(1);
    expect(cli(['run', ...small, '--seed', '2', '--out', 'prev', '--force'], w)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(runJson().seed).toBe(2);
    expect(readdirSync(w)).toEqual(['prev']);
  }, 60_000);

  test('a link to a results folder is not replaced (the link would be, not what it points to)', () => {
    symlinkSync('prev', join(w, 'link'));
    expect(cli(['run', ...long, '--out', 'link', '--force'], w)).toEqual({
      code: 2, stdout: '', stderr: 'error: output folder link is a symbolic link, not a results folder; choose another with --out\n',
    });
    rmSync(join(w, 'link'));
  });
});

test('--mode rate writes to results/<name>-rate/ by default, beside the spiking run', () => {
  const w = workdir('rate');
  expect(cli(['run', ...small], w).code).toBe(0);
  const spiking = readFileSync(join(w, 'results', 'single-neuron', 'run.json'), 'utf8');
  expect(cli(['run', ...small, '--mode', 'rate'], w)).toEqual({ code: 0, stdout: '', stderr: '' });
  expect(JSON.parse(readFileSync(join(w, 'results', 'single-neuron-rate', 'run.json'), 'utf8')).scenario.mode).toBe('rate');
  expect(readFileSync(join(w, 'results', 'single-neuron', 'run.json'), 'utf8')).toBe(spiking);
}, 60_000);

test('compare refuses an --out it did not write, and replaces its own previous comparison', () => {
  const w = workdir('compare');
  for (const seed of ['1', '2']) expect(cli(['run', ...small, '--seed', seed, '--out', `s${seed}`], w).code).toBe(0);
  expect(cli(['compare', 's1', 's2', '--out', '.'], w)).toEqual({ code: 2, stdout: '', stderr: notOurs('.', 'compare.json', 'comparison folder') });
  expect(cli(['compare', 's1', 's2', '--out', 's1'], w).code).toBe(2); // a results folder is not a comparison
  expect(existsSync(join(w, 's1', 'compare.json'))).toBe(false);
  for (let k = 0; k < 2; k++) expect(cli(['compare', 's1', 's2', '--out', 'cmp'], w).code).toBe(0);
  expect(readdirSync(join(w, 'cmp')).sort()).toEqual(['compare.json', 'compare.md']);
}, 60_000);

describe('the output location is checked before simulating: one line, exit code 2, nothing left', () => {
  const line = (p: string, why: string) => `error: output folder ${p} cannot be ${why}; choose another with --out\n`;

  test('a parent that is a file', () => {
    const w = workdir('parent-file');
    expect(cli(['run', ...long, '--out', 'keep.txt/results'], w)).toEqual({
      code: 2, stdout: '', stderr: line('keep.txt/results', 'checked: a part of its path is a file, not a folder (ENOTDIR)'),
    });
    expect(readdirSync(w)).toEqual(['keep.txt']);
  });

  test('a name too long (with the temporary suffix)', () => {
    const w = workdir('long-name');
    const name = 'n'.repeat(250); // a valid name, but not with .partial-<pid> after it
    expect(cli(['run', ...long, '--out', `new/${name}`], w)).toEqual({
      code: 2, stdout: '', stderr: line(`new/${name}`, 'written: a name in its path is too long (with the temporary suffix .partial-<pid>) (ENAMETOOLONG)'),
    });
    expect(readdirSync(w)).toEqual(['keep.txt']); // new/, made to try, is gone again
  });

  test('/proc/x does not hang (mkdir -p never returns there)', () => {
    expect(cli(['run', ...long, '--out', '/proc/x'])).toEqual({
      code: 2, stdout: '', stderr: line('/proc/x', 'written: folders cannot be made there (ENOENT)'),
    });
  });

  test('a folder that cannot be written (read-only: chmod for users, /sys for root)', () => {
    const root = process.getuid?.() === 0;
    const w = workdir('read-only');
    mkdirSync(join(w, 'ro'), { mode: 0o555 });
    const out = root ? '/sys/chronoprop-out' : 'ro/out';
    const r = cli(['run', ...long, '--out', out], w);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: output folder ${out} cannot be written: .* \\((EACCES|EROFS|EPERM)\\); choose another with --out\\n$`));
    expect(readdirSync(join(w, 'ro'))).toEqual([]);
  });

  test('parents made for the check are removed when the run then fails', () => {
    const w = workdir('made-parents');
    // A run that fails while simulating (runaway activity): the check before it made new/deep/ and removed it.
    writeFileSync(join(w, 'self.json'), JSON.stringify(selfExcitation()));
    const r = cli(['run', 'self.json', '--out', 'new/deep/out', '-q'], w);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: runaway activity: population n /);
    expect(readdirSync(w).sort()).toEqual(['keep.txt', 'self.json']);
  });
});

test("a killed run's leftovers are recognised on the next run into the same place: partial removed, previous folder restored", () => {
  const w = workdir('killed');
  expect(cli(['run', ...small, '--out', 'prev'], w).code).toBe(0);
  const runJson = readFileSync(join(w, 'prev', 'run.json'), 'utf8');
  // A process that is gone, killed while replacing prev: the old folder moved aside, the new one half written.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  renameSync(join(w, 'prev'), join(w, `prev.old-${dead}`));
  mkdirSync(join(w, `prev.partial-${dead}`));
  writeFileSync(join(w, `prev.partial-${dead}`, 'run.json'), '{"half":');
  expect(cli(['run', ...small, '--out', 'prev'], w)).toEqual({
    code: 2,
    stdout: '',
    stderr: [
      `note: restored prev from prev.old-${dead}, left by a run that was killed while replacing it`,
      `note: removed prev.partial-${dead}, left beside prev by a run that was killed`,
      'error: output folder prev holds a previous results folder; pass --force to replace it, or choose another with --out',
      '',
    ].join('\n'),
  });
  expect(readdirSync(w).sort()).toEqual(['keep.txt', 'prev']);
  expect(readFileSync(join(w, 'prev', 'run.json'), 'utf8')).toBe(runJson);
  // Beside a folder that did get replaced, the old one is removed.
  mkdirSync(join(w, `prev.old-${dead}`));
  expect(cli(['run', ...small, '--out', 'prev', '--force'], w).stderr).toBe(`note: removed prev.old-${dead}, left beside prev by a run that was killed\n`);
  expect(readdirSync(w).sort()).toEqual(['keep.txt', 'prev']);
}, 60_000);
