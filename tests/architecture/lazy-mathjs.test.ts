/**
 * mathjs is loaded on first use (src/math/mathjs.ts): its import costs about 0.9 s, which every command, library
 * import and worker thread would pay at start. So no file of src/ or models/ imports it eagerly: only types may be
 * imported from 'mathjs', and values come through mathjs().
 */
import { expect, test } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('only types are imported from mathjs; its values come through the lazy loader', () => {
  const eager: string[] = [];
  for (const f of [...files(join(REPO, 'src')), ...files(join(REPO, 'models'))]) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (/^\s*(import|export)\b.*from\s+['"]mathjs['"]/.test(line) && !/^\s*import\s+type\b/.test(line)) eager.push(`${f.slice(REPO.length)}: ${line.trim()}`);
      if (/\bimport\(\s*['"]mathjs['"]\s*\)/.test(line)) eager.push(`${f.slice(REPO.length)}: ${line.trim()}`);
    }
  }
  expect(eager).toEqual([]);
});
