// A worker thread for tests/scenario/hostile.test.ts: runs one case at a time the way `chronoprop run --no-report`
// does (load the file with its --set overrides, check the memory budget, the output folder, run, write), with the
// built library (dist/index.js), and answers how it ended: refused (a ScenarioError: what the command line prints
// as `error:` lines with exit code 2), ran, or crashed (anything else: exit code 1 with a stack). The main thread
// terminates it when a case runs too long (a hang) and sees it die when its heap runs out (out of memory).
import { parentPort, workerData } from 'node:worker_threads';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const lib = await import(workerData.lib);
const dir = workerData.dir;
mkdirSync(dir, { recursive: true });

parentPort.on('message', async (c) => {
  let reply;
  try {
    const ref = join(dir, c.file);
    writeFileSync(ref, Buffer.from(c.bytes));
    const sc = lib.loadScenario(ref, { set: c.set });
    // The budget of the scenario as given; then the run, with its simulated time capped.
    lib.checkMemory(sc, { maxMemory: c.maxMemory });
    // Experiments run only with the small settings their case gave them (their protocol's size is theirs, not a
    // simulated time to cap); otherwise loading and the budget are what is tried.
    if (c.run && sc.experiment === c.run.experiment && JSON.stringify(sc.settings) === c.run.settings) {
      const capped = { ...sc, duration_ms: Math.min(sc.duration_ms, c.capMs) };
      const out = join(dir, 'out');
      rmSync(out, { recursive: true, force: true });
      await lib.runScenario(capped, out, { workers: 1, report: false, replace: true, maxMemory: c.maxMemory });
      reply = { outcome: 'ran' };
    } else {
      reply = { outcome: 'valid' };
    }
  } catch (e) {
    reply = e instanceof lib.ScenarioError ? { outcome: 'refused', problems: e.problems } : { outcome: 'crashed', error: String(e?.stack ?? e) };
  }
  parentPort.postMessage(reply);
});
parentPort.postMessage({ ready: true });
