/**
 * `chronoprop report` (buildReport) writes nothing in place: a write that fails part-way (a full disk, simulated by
 * a writeFileSync that writes half a figure and throws) leaves the old figures/ and report.html exactly as they
 * were, and no temporary folder or file behind. Written in place, the figures before the failing one would already
 * be replaced, and the failing one truncated.
 */
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport } from '../../src/report/build-report.js';
import { writeFolder } from './fixture.js';

/** writeFileSync that, while `failOn` matches a path, writes half the data there and throws ENOSPC. */
const failing = vi.hoisted(() => ({ failOn: null as RegExp | null }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeFileSync = (path: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView, opts?: fs.WriteFileOptions) => {
    if (failing.failOn && typeof path === 'string' && failing.failOn.test(path)) {
      real.writeFileSync(path, typeof data === 'string' ? data.slice(0, data.length >> 1) : data);
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC' });
    }
    return real.writeFileSync(path, data, opts);
  };
  return { ...real, writeFileSync, default: { ...real, writeFileSync } };
});

const root = mkdtempSync(join(tmpdir(), 'chronoprop-atomic-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  failing.failOn = null;
});

/** Every file under dir with its contents. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length + 1)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

describe('buildReport on a full disk', () => {
  const dir = join(root, 'run');
  const spec = { durationMs: 50, pops: { a: { size: 2, spikes: [[0, 5], [1, 7], [0, 30]] as [number, number][] } } };

  test.each([
    ['a figure (the rate figure, after the raster)', /figures[^/]*\/rate\.svg$/],
    ['the page', /report\.html/],
  ])('failing at %s leaves the old report and figures as they were', async (_, at) => {
    writeFolder(dir, spec);
    await buildReport(dir);
    // Mark the old files, so that a rewrite of any of them shows.
    for (const f of ['report.html', 'figures/raster.svg', 'figures/rate.svg', 'figures/raster.vl.json']) writeFileSync(join(dir, f), `old ${f}\n`);
    const before = snapshot(dir);
    failing.failOn = at;
    await expect(buildReport(dir)).rejects.toThrow(/ENOSPC/);
    failing.failOn = null;
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(dir).filter((f) => /partial|old-|tmp-/.test(f))).toEqual([]);
    // And the next build, with space, replaces them all.
    await buildReport(dir);
    expect(readFileSync(join(dir, 'figures', 'raster.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    rmSync(dir, { recursive: true, force: true });
  });
});
