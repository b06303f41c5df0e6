/**
 * A signal that reaches the process after a checkpointed run's last safe point, but before the event loop ran its
 * listener, is not lost when the run releases the latch (interrupt.ts): it is raised again and ends the process by
 * that signal, as it would have without checkpoints. Each case runs in a child process (tests/fixtures/latch-race.ts),
 * since the signal must end it. Before the fix the child printed "lost" and exited 0 (the race seen on CI).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe('SignalLatch.release: a signal received but not yet dispatched is raised again', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s', (sig) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ts.mjs'), join(ROOT, 'tests', 'fixtures', 'latch-race.ts'), sig], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect({ signal: r.signal, status: r.status, stdout: r.stdout }).toEqual({ signal: sig, status: null, stdout: '' });
  }, 90_000);
});
