/**
 * Whether a folder chronoprop writes (a run's results, a comparison) may take the place of what is at its path.
 * Nothing there: yes. A folder chronoprop wrote before, of the same kind: only when the caller allows replacing it
 * (`chronoprop run --force`). Anything else (a file, a link, a folder chronoprop did not write, `--out .`) is never
 * replaced. The answer is one line, thrown as a ScenarioError (exit code 2); runs ask before simulating and again
 * just before the rename, in case something appeared meanwhile.
 */
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError } from './errors.js';

/**
 * What a caller may replace: folders `ours` recognises, and only if `replace`. `what` names them in messages, `sign`
 * is the file that marks them.
 */
export interface ReplaceRule {
  ours: (dir: string) => boolean;
  what: string;
  sign: string;
  replace: boolean;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A folder `chronoprop run` wrote: its run.json names the results format. */
export function isResultsFolder(dir: string): boolean {
  const j = readJson(join(dir, 'run.json')) as { format?: unknown } | undefined;
  return typeof j?.format === 'string' && j.format.startsWith('chronoprop-results/');
}

/** A folder `chronoprop compare` wrote: compare.json (and compare.md), nothing else. */
export function isComparisonFolder(dir: string): boolean {
  const names = readdirSync(dir);
  if (!names.includes('compare.json') || names.some((n) => n !== 'compare.json' && n !== 'compare.md')) return false;
  const j = readJson(join(dir, 'compare.json')) as { metrics?: unknown } | undefined;
  return Array.isArray(j?.metrics);
}

/** A run's results folder: a previous one is replaced only if `replace`. */
export const resultsRule = (replace: boolean): ReplaceRule => ({ ours: isResultsFolder, what: 'results folder', sign: 'run.json', replace });

/** A comparison's folder: a previous one is replaced. */
export const comparisonRule: ReplaceRule = { ours: isComparisonFolder, what: 'comparison folder', sign: 'compare.json', replace: true };

/** Why `dir` may not be replaced under `rule`, or null if it may (or nothing is there). */
export function outFolderProblem(dir: string, rule: ReplaceRule): string | null {
  const at = `output folder ${dir}`;
  let st;
  try {
    st = lstatSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? null : `${at} cannot be checked (${code ?? (e as Error).message}); choose another with --out`;
  }
  if (st.isSymbolicLink()) return `${at} is a symbolic link, not a ${rule.what}; choose another with --out`;
  if (!st.isDirectory()) return `${at} exists and is not a folder; choose another with --out`;
  let ours = false;
  try {
    ours = rule.ours(dir);
  } catch {
    ours = false; // unreadable: not recognisably ours
  }
  if (!ours) return `${at} exists and is not a chronoprop ${rule.what} (no ${rule.sign} of ours in it); choose another with --out`;
  if (!rule.replace) return `${at} holds a previous ${rule.what}; pass --force to replace it, or choose another with --out`;
  return null;
}

/** Throws the problem outFolderProblem finds, if any. */
export function checkOutFolder(dir: string, rule: ReplaceRule): void {
  const p = outFolderProblem(dir, rule);
  if (p !== null) throw new ScenarioError([p]);
}
