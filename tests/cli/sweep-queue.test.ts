/**
 * The distributed path of `chronoprop sweep` (BullMQ on Redis), end to end on the built command line: its own
 * redis-server on a free loopback port with persistence off, three `chronoprop worker` processes, a 12-run sweep.
 * Oracles: a serial local run of the same sweep (byte-identical files, timing and provenance aside); the workers'
 * own logs (who took which job). One worker is killed with SIGKILL mid-job: its job must be taken up by another and
 * the results must still be identical. Resubmitting reruns nothing, into the same folder or another one (the job
 * id is the scenario's hash: the finished run is copied, not rerun). Two sweeps under different --queue-name on the
 * same Redis do not mix: each queue's worker takes only its own queue's runs. Every wait is bounded in time.
 *
 * Without redis-server the test says so and is skipped; with CI set, its absence is a failure (.ci/run installs it).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { BIN, cli, ensureBuilt, ROOT } from './cli.js';
import { expectSameFolders } from './sweep-helpers.js';

const HAS_REDIS = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
const FIXTURE = join(ROOT, 'tests', 'fixtures', 'sweep');

test('redis-server is installed (required in CI; skipped with a message elsewhere)', () => {
  if (!HAS_REDIS && process.env.CI) throw new Error('redis-server is missing but CI is set: .ci/run installs it with apt-get');
  if (!HAS_REDIS) console.warn('tests/cli/sweep-queue.test.ts: redis-server not found, the distributed sweep test is skipped (apt-get install redis-server)');
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** Waits (at most `ms`) until `check` is true, polling every 50 ms. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ping = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.setTimeout(500, () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => (s.destroy(), resolve(d.toString().startsWith('+PONG'))));
  });

interface Proc {
  child: ChildProcess;
  out: string[];
  exited: Promise<number | null>;
}

function start(args: string[]): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    out.push(...lines);
  });
  child.stderr!.on('data', (d: Buffer) => out.push(...d.toString().trim().split('\n').map((l) => `stderr: ${l}`)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, exited };
}

/** Resolves with the exit code, or rejects after `ms`. */
async function exitWithin(p: Proc, ms: number): Promise<number | null> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`process did not end within ${ms} ms:\n${p.out.join('\n')}`)), ms)));
  try {
    return await Promise.race([p.exited, timeout]);
  } finally {
    clearTimeout(t);
  }
}

describe.skipIf(!HAS_REDIS)('chronoprop sweep --queue and chronoprop worker', () => {
  let tmp = '';
  let url = '';
  let redis: ChildProcess | null = null;
  const workers: Proc[] = [];
  let sweepFile = '';
  let serial = '';

  beforeAll(async () => {
    ensureBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'chronoprop-queue-'));
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until('redis-server to answer PING', () => ping(port), 10_000);
    // Runs of about a quarter of a second of simulation (plus writing), so that a worker can be killed mid-job.
    sweepFile = join(tmp, 'queue.yaml');
    writeFileSync(sweepFile, readFileSync(join(FIXTURE, 'sweep.yaml'), 'utf8').replace('scenario: small.json', `scenario: ${join(FIXTURE, 'small.json')}`).replace('duration_ms: 100', 'duration_ms: 500'));
    serial = join(tmp, 'serial');
    const s = cli(['sweep', sweepFile, '-o', serial, '--workers', '1', '--no-report', '-q']);
    expect(s.code, s.stderr).toBe(0);
  }, 90_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => exitWithin(w, 10_000).catch(() => w.child.kill('SIGKILL'))));
    redis?.kill('SIGTERM');
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  test('three workers, one killed mid-job: every run done once more elsewhere, results equal the serial run; resubmission reruns nothing', async () => {
    for (let k = 0; k < 3; k++) workers.push(start(['worker', '--queue', url, '--lock-ms', '2000']));
    await until('three workers to connect', () => workers.every((w) => w.out.some((l) => l.startsWith('worker '))), 20_000);

    const out = join(tmp, 'queued');
    const sweep = start(['sweep', sweepFile, '-o', out, '--queue', url, '--no-report']);
    // Kill the first worker seen taking a job, as soon as it says so.
    let victim: Proc | undefined;
    await until('a worker to take a job', () => (victim = workers.find((w) => w.out.some((l) => l.startsWith('start ')))) !== undefined, 30_000);
    victim!.child.kill('SIGKILL');
    const killedJob = victim!.out.find((l) => l.startsWith('start '))!.split(' ')[1];
    const code = await exitWithin(sweep, 60_000);
    expect(code, sweep.out.join('\n')).toBe(0);
    expect(sweep.out.join('\n')).toMatch(/12 runs \(12 done, 0 failed; 0 were done before\)/);

    // The killed worker's job was taken up by another worker, and the results are those of the serial run.
    const others = workers.filter((w) => w !== victim);
    expect(others.some((w) => w.out.some((l) => l.startsWith(`start ${killedJob} `)))).toBe(true);
    expect(victim!.out.some((l) => l.startsWith(`done ${killedJob} `))).toBe(false);
    expect(others.filter((w) => w.out.some((l) => l.startsWith('done '))).length + (victim!.out.some((l) => l.startsWith('done ')) ? 1 : 0)).toBeGreaterThanOrEqual(2);
    expectSameFolders(serial, out);

    // Resubmitting: into the same folder, nothing is queued; into another, the finished jobs are found by id and
    // their folders copied. No worker starts anything.
    const started = () => others.reduce((n, w) => n + w.out.filter((l) => l.startsWith('start ')).length, 0);
    const before = started();
    const same = cli(['sweep', sweepFile, '-o', out, '--queue', url, '--no-report']);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/12 were done before/);
    const other = join(tmp, 'again');
    const again = cli(['sweep', sweepFile, '-o', other, '--queue', url, '--no-report']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/12 runs \(12 done, 0 failed; 0 were done before\)/);
    expectSameFolders(serial, other);
    await new Promise((r) => setTimeout(r, 500));
    expect(started()).toBe(before);

    // A run whose folder is taken by something not ours fails with its error; others are done.
    const blocked = join(tmp, 'blocked');
    cpSync(serial, blocked, { recursive: true });
    rmSync(join(blocked, 'runs/p1-s1'), { recursive: true });
    mkdirSync(join(blocked, 'runs/p1-s1'));
    writeFileSync(join(blocked, 'runs/p1-s1/notes.txt'), 'mine');
    const b = cli(['sweep', sweepFile, '-o', blocked, '--queue', url, '--no-report']);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`error: runs/p1-s1 failed: output folder ${join(blocked, 'runs/p1-s1')} exists and is not a chronoprop results folder`);
    expect(readFileSync(join(blocked, 'runs/p1-s1/notes.txt'), 'utf8')).toBe('mine');

    // --attach to a sweep never submitted: every run reported as not on the queue, nothing run.
    const unsent = join(tmp, 'unsent.yaml');
    writeFileSync(unsent, `scenario: ${join(FIXTURE, 'small.json')}\nseeds: [77]\nset: { duration_ms: 10 }\n`);
    const a = cli(['sweep', unsent, '-o', join(tmp, 'unsent'), '--queue', url, '--attach', '--no-report']);
    expect(a.code).toBe(1);
    expect(a.stderr.trim().split('\n').filter((l) => l.startsWith('error'))).toEqual([`error: runs/p0-s77 failed: not on queue chronoprop-sweep on ${url} (submit the sweep without --attach)`]);
    expect(started()).toBe(before);

    // Stopped and reattached: with no worker running, a submitted sweep waits; Ctrl-C stops the waiting, not the
    // runs, and --attach waits for them again once a worker is back.
    for (const w of others) w.child.kill('SIGTERM');
    await Promise.all(others.map((w) => exitWithin(w, 15_000)));
    const later = join(tmp, 'later.yaml');
    writeFileSync(later, `scenario: ${join(FIXTURE, 'small.json')}\nseeds: [8, 9]\nset: { duration_ms: 50 }\n`);
    const waiting = start(['sweep', later, '-o', join(tmp, 'later'), '--queue', url, '--no-report']);
    await until('the sweep to submit its runs', () => waiting.out.some((l) => l.includes('submitted 2 runs')), 30_000);
    waiting.child.kill('SIGINT');
    expect(await exitWithin(waiting, 10_000)).toBe(130);
    expect(waiting.out.join('\n')).toContain('stopped waiting; the runs stay on the queue');
    const back = start(['worker', '--queue', url, '--lock-ms', '2000']);
    workers.push(back);
    const attached = start(['sweep', later, '-o', join(tmp, 'later'), '--queue', url, '--attach', '--no-report']);
    expect(await exitWithin(attached, 60_000), attached.out.join('\n')).toBe(0);
    expect(attached.out.join('\n')).toMatch(/attached to 2 runs[^]*2 runs \(2 done, 0 failed; 0 were done before\)/);
    expect(back.out.filter((l) => l.startsWith('done '))).toHaveLength(2);
  }, 150_000);

  test('--queue-name: two sweeps on one Redis do not mix; each worker takes its own queue\'s runs only', async () => {
    // Bad names are bad input before anything connects (exit 2); a name without --queue too.
    const bad = cli(['worker', '--queue', url, '--queue-name', 'a:b']);
    expect([bad.code, bad.stderr]).toEqual([2, 'error: --queue-name must be 1-100 letters, digits, ".", "_" or "-", got "a:b"\n']);
    const alone = cli(['sweep', sweepFile, '-o', join(tmp, 'x'), '--queue-name', 'alpha']);
    expect([alone.code, alone.stderr]).toEqual([2, 'error: --queue-name needs --queue redis://host:port\n']);

    const sweepOf = (name: string, seeds: number[]) => {
      const f = join(tmp, `${name}.yaml`);
      writeFileSync(f, `scenario: ${join(FIXTURE, 'small.json')}\nseeds: [${seeds.join(', ')}]\nset: { duration_ms: 20 }\n`);
      return f;
    };
    const alpha = start(['worker', '--queue', url, '--queue-name', 'alpha', '--lock-ms', '2000']);
    workers.push(alpha);
    await until('the alpha worker to connect', () => alpha.out.some((l) => l.startsWith('worker ') && l.includes('(queue alpha,')), 20_000);
    // Sweep beta is submitted while only alpha's worker (and the default queue's, from the test above) run: it waits.
    const beta = start(['sweep', sweepOf('beta', [31, 32]), '-o', join(tmp, 'beta'), '--queue', url, '--queue-name', 'beta', '--no-report']);
    await until('sweep beta to submit', () => beta.out.some((l) => l.includes(`submitted 2 runs on queue beta on ${url}`)), 30_000);
    // (Spawned, not spawnSync: the workers' output is read by this process's event loop while the sweep runs.)
    const a = start(['sweep', sweepOf('alpha', [21, 22, 23]), '-o', join(tmp, 'alpha'), '--queue', url, '--queue-name', 'alpha', '--no-report']);
    expect(await exitWithin(a, 60_000), a.out.join('\n')).toBe(0);
    expect(a.out.join('\n')).toMatch(/3 runs \(3 done, 0 failed; 0 were done before\)/);
    expect(JSON.parse(readFileSync(join(tmp, 'alpha', 'sweep.json'), 'utf8')).provenance).toMatchObject({ mode: 'queue', queue: url, queue_name: 'alpha' });
    await until('the alpha worker to report its runs', () => alpha.out.filter((l) => l.startsWith('done ')).length >= 3, 10_000);
    expect(alpha.out.filter((l) => l.startsWith('done ')).map((l) => l.split(' ')[2]).sort()).toEqual(['p0-s21', 'p0-s22', 'p0-s23']);
    expect(beta.child.exitCode).toBe(null); // still waiting: no worker of queue beta
    const betaWorker = start(['worker', '--queue', url, '--queue-name', 'beta', '--lock-ms', '2000']);
    workers.push(betaWorker);
    expect(await exitWithin(beta, 60_000), beta.out.join('\n')).toBe(0);
    await until('the beta worker to report its runs', () => betaWorker.out.filter((l) => l.startsWith('done ')).length >= 2, 10_000);
    expect(betaWorker.out.filter((l) => l.startsWith('done ')).map((l) => l.split(' ')[2]).sort()).toEqual(['p0-s31', 'p0-s32']);
    // Nobody took another queue's runs: alpha's worker ran alpha's only, the default queue's workers none of these.
    expect(alpha.out.filter((l) => l.startsWith('start ')).map((l) => l.split(' ')[2]).sort()).toEqual(['p0-s21', 'p0-s22', 'p0-s23']);
    for (const w of workers.filter((w) => w !== alpha && w !== betaWorker)) expect(w.out.filter((l) => / p0-s[23]\d( |$)/.test(l))).toEqual([]);
  }, 120_000);
});
