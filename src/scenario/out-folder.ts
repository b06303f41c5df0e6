/**
 * Whether a folder chronoprop writes (a run's results, a comparison) may take the place of what is at its path.
 * Nothing there: yes. A folder chronoprop wrote before, of the same kind: only when the caller allows replacing it
 * (`chronoprop run --force`). Anything else (a file, a link, a folder chronoprop did not write, `--out .`) is never
 * replaced. The answer is one line, thrown as a ScenarioError (exit code 2); runs ask before simulating and again
 * just before the rename, in case something appeared meanwhile.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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
    if (code === 'ENOENT') return null;
    return `${at} cannot be checked: ${(code && WHY[code]) ?? (e as Error).message.split('\n')[0]}${code ? ` (${code})` : ''}; choose another with --out`;
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

/** Whether a process with this id is running (EPERM: it is, as someone else's). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What a writer killed outright (SIGKILL, a crash, a power cut) left beside `dir`, recognised by name and by its
 * process being gone, and cleaned up before the next run into the same place: `<dir>.partial-<pid>` is never a
 * complete folder and is removed, as is checkWritable's `<dir>.probing-<pid>`; `<dir>.old-<pid>` is the previous folder, moved aside just before the new one was
 * renamed into place: removed if `dir` is there (the new one made it), else renamed back (the previous results,
 * restored). Returns one line per thing done, for the caller to report.
 */
export function cleanLeftovers(dir: string): string[] {
  const full = resolve(dir);
  const parent = dirname(full);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const done: string[] = [];
  const base = basename(full);
  for (const name of names.sort()) {
    if (!name.startsWith(`${base}.`)) continue;
    const m = /^\.(partial|probing|old)-(\d+)$/.exec(name.slice(base.length));
    if (!m || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
    const p = join(parent, name);
    if (m[1] === 'old' && !existsSync(full)) {
      renameSync(p, full);
      done.push(`restored ${dir} from ${name}, left by a run that was killed while replacing it`);
    } else {
      rmSync(p, { recursive: true, force: true });
      done.push(`removed ${name}, left beside ${dir} by a run that was killed`);
    }
  }
  return done;
}

/**
 * Makes `dir` and its missing parents one at a time, adding each it made to `made` (outermost first; also when a
 * later one fails). Node's `mkdirSync(dir, { recursive: true })` never returns under /proc (it retries ENOENT).
 */
export function makeDirs(dir: string, made: string[] = []): string[] {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      lstatSync(d);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(d) === d) throw e;
      missing.unshift(d);
    }
  }
  for (const d of missing) {
    mkdirSync(d);
    made.push(d);
  }
  return made;
}

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'a name in its path is too long (with the temporary suffix .partial-<pid>)',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  ENOENT: 'folders cannot be made there',
  ENOTDIR: 'a part of its path is a file, not a folder',
};

/**
 * Checks, before anything is simulated, that the folder a run will write can be made beside `dir` and written in:
 * by making a folder beside it with a name as long as the run's temporary one (`<dir>.probing-<pid>`, with missing
 * parents), writing a file in it and removing all of it again. Parents that are files, read-only or full file
 * systems, names too long and places such as /proc are refused with one line (ScenarioError) instead of after the
 * simulation.
 */
export function checkWritable(dir: string): void {
  // Not the run's `.partial-<pid>` name, which means "results being written" to whoever watches for it (an
  // interrupt test, a user), while no interrupt handler is installed yet; `.probing-` has the same length, so a name
  // too long for the partial folder is too long for the probe.
  const tmp = `${resolve(dir)}.probing-${process.pid}`;
  const made: string[] = [];
  try {
    makeDirs(tmp, made);
    writeFileSync(join(tmp, '.probe'), 'chronoprop\n');
    unlinkSync(join(tmp, '.probe'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new ScenarioError([`output folder ${dir} cannot be written: ${WHY[code] ?? (e as Error).message.split('\n')[0]}${code ? ` (${code})` : ''}; choose another with --out`]);
  } finally {
    for (const d of made.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // someone else's now, or already gone
      }
    }
  }
}
