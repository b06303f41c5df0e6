/**
 * A progress bar on stderr (cli-progress) for long runs, one per phase (a new total or unit); a no-op when stderr is
 * not a terminal or with --quiet. The bar leaves the cursor visible: a simulation runs synchronously, so Ctrl-C (or
 * a kill) during it ends the process before any handler could show a hidden cursor again.
 */
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  update: (done: number, total: number, unit: string) => void;
  stop: () => void;
}

export function makeProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled) return { update: () => {}, stop: () => {} };
  let bar: SingleBar | null = null;
  let phase = '';
  return {
    update(done, total, unit) {
      // A new phase (e.g. training examples, then test chunks) gets a bar of its own.
      if (bar && phase !== `${total} ${unit}`) {
        bar.stop();
        bar = null;
      }
      phase = `${total} ${unit}`;
      if (!bar) {
        bar = new SingleBar(
          { format: ` {bar} {percentage}% | {value}/{total} ${unit} | eta {eta_formatted}`, stream, hideCursor: false },
          Presets.shades_classic,
        );
        bar.start(total, 0);
      }
      bar.update(Math.round(done));
    },
    stop() {
      bar?.stop();
    },
  };
}
