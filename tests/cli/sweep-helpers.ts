/** Comparing sweep and run folders file by file, with what may differ between equal runs left out. */
import { expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under dir, relative, sorted. */
export function listTree(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? listTree(p, base) : [relative(base, p)];
  }).sort();
}

/** A file's contents with what may differ between equal runs taken out (run.json's timing/provenance, sweep.json's provenance). */
export function comparable(path: string): string | null {
  if (/(^|\/)(report\.html|spikes\.h5)$/.test(path) || /\.svg$/.test(path)) return null;
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('run.json')) {
    const j = JSON.parse(text);
    delete j.timing;
    delete j.provenance;
    return JSON.stringify(j);
  }
  if (path.endsWith('sweep.json')) {
    const j = JSON.parse(text);
    delete j.provenance;
    return JSON.stringify(j);
  }
  return text;
}

/** Asserts two sweep (or run) folders hold the same files with the same contents. */
export function expectSameFolders(a: string, b: string): void {
  const files = listTree(a);
  expect(listTree(b)).toEqual(files);
  for (const f of files) {
    const ca = comparable(join(a, f));
    if (ca !== null) expect(comparable(join(b, f)), f).toBe(ca);
  }
}

