/**
 * `--emit slurm`: an `sbatch --array` script with one array task per run (point and seed), each running
 * `chronoprop sweep-point <sweep file> --out <folder> --index $SLURM_ARRAY_TASK_ID`, which writes the run's folder
 * exactly where the local pool and the queue write it. Rerunning `chronoprop sweep` on the same file and folder
 * afterwards runs nothing that finished and writes points.csv, sweep.json and the report.
 */
export interface SlurmOptions {
  name: string;
  /** Absolute paths: node, chronoprop's command line, the sweep file, the sweep folder, the working folder. */
  node: string;
  bin: string;
  sweepFile: string;
  out: string;
  cwd: string;
  runs: number;
  report: boolean;
}

/** Single-quoted for the shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function slurmScript(o: SlurmOptions): string {
  const q = shellQuote;
  return [
    '#!/bin/bash',
    `# chronoprop sweep "${o.name}": ${o.runs} run${o.runs === 1 ? '' : 's'}, one array task each. Submit with:`,
    `#   sbatch ${q(`${o.out}/sweep.sbatch`)}`,
    '# and, once every task has ended, collect points.csv, sweep.json and the report (runs nothing that finished):',
    `#   ${q(o.node)} ${q(o.bin)} sweep ${q(o.sweepFile)} --out ${q(o.out)}`,
    `#SBATCH --job-name=chronoprop-${o.name}`,
    `#SBATCH --array=0-${o.runs - 1}`,
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
    `#SBATCH --output=${o.out}/slurm/%A_%a.out`,
    'set -euo pipefail',
    `cd ${q(o.cwd)}`,
    `exec ${q(o.node)} ${q(o.bin)} sweep-point ${q(o.sweepFile)} --out ${q(o.out)} --index "$SLURM_ARRAY_TASK_ID"${o.report ? '' : ' --no-report'}`,
    '',
  ].join('\n');
}
