/**
 * The CUBA benchmark network (Brette et al. 2007, Benchmark 2) must sustain asynchronous irregular activity:
 * spiking to the end of the run (resting level above threshold, but inhibition must not silence it nor excitation
 * make it explode), irregular (mean ISI CV well above a clock's 0), asynchronous (Golomb's synchrony measure chi
 * small compared with 1, the value for full synchrony).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { simulateNetwork } from '../../src/scenario/run-network.js';
import { spikeStats } from '../../src/analysis/spike-stats.js';

describe('cuba', () => {
  it('shows sustained asynchronous irregular activity', () => {
    const { net } = simulateNetwork(loadScenario('cuba'), { workers: 1 });
    for (const pop of ['exc', 'inh']) {
      const tr = net.spikes.get(pop)!.sorted();
      const size = net.emitters.get(pop)!.size;
      const late = spikeStats(tr, size, 800, 1000);
      const all = spikeStats(tr, size, 200, 1000);
      expect(late.rate_hz).toBeGreaterThan(1);
      expect(late.rate_hz).toBeLessThan(50);
      expect(all.cv_isi!).toBeGreaterThan(0.4);
      expect(all.synchrony_chi!).toBeLessThan(0.3);
    }
  });
});
