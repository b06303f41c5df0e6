/**
 * SIGINT or SIGTERM while `chronoprop run` writes its results: the partial folder (`<out>.partial-<pid>`) is
 * removed, nothing appears at --out, and the process exits with the conventional code (130, 143). The signal is
 * sent as soon as the partial folder appears (the write, with its report, lasts far longer than the polling step).
 * The progress bar never hides the terminal's cursor, so no way of ending a run can leave it hidden.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { BIN, ensureBuilt } from './cli.js';
import { makeProgress } from '../../src/cli/progress.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-cli-int-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command line into `out`, sends `signal` once the partial folder exists; resolves with how it ended. */
function interrupted(out: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; sent: boolean }> {
  const child = spawn(process.execPath, [BIN, 'run', 'single-neuron', '--out', out, '-q'], { stdio: 'ignore' });
  const partial = `${out}.partial-${child.pid}`;
  let sent = false;
  const poll = setInterval(() => {
    if (!sent && existsSync(partial)) {
      sent = true;
      child.kill(signal);
    }
  }, 1);
  return new Promise((done) => {
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      done({ code, signal: sig, sent });
    });
  });
}

describe('an interrupted write leaves nothing behind', () => {
  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: exit code %i, no partial folder, no results folder', async (signal, code) => {
    const out = join(dir, signal);
    const r = await interrupted(out, signal);
    expect(r.sent).toBe(true);
    expect(r).toEqual({ code, signal: null, sent: true });
    expect(readdirSync(dir).filter((f) => f.startsWith(signal))).toEqual([]);
  }, 60_000);
});

test('the progress bar draws on a terminal without hiding the cursor, and its stop ends the line', () => {
  let text = '';
  const tty = Object.assign(
    new Writable({
      write(chunk, _enc, next) {
        text += String(chunk);
        next();
      },
    }),
    { isTTY: true, columns: 80 },
  ) as unknown as NodeJS.WriteStream;
  const p = makeProgress(true, tty);
  p.update(10, 100, 'ms');
  p.update(100, 100, 'ms');
  p.stop();
  expect(text).toContain('100/100 ms');
  expect(text).not.toContain('\x1b[?25l'); // hide cursor
  expect(text.endsWith('\n')).toBe(true);
});
