/**
 * Axis titles in words with units from column names: the data files name quantities the way scenarios do
 * (`v_mv`, `i_exc_mv`, `rate_hz`), a figure says `membrane potential (mV)`. The report reads only the files, so it
 * knows the state variables of the built-in models by name (their docs in models/*.ts) and reads any other name as
 * words and a unit suffix: `v_d_mv` is a known name, `g_nmda_mv` becomes `g nmda (mV)`.
 */

const WORDS: Record<string, string> = {
  v: 'membrane potential',
  v_d: 'dendritic membrane potential',
  i_exc: 'excitatory synaptic input',
  i_inh: 'inhibitory synaptic input',
  i_dend: 'dendritic input',
  g_exc: 'excitatory alpha auxiliary variable',
  g_inh: 'inhibitory alpha auxiliary variable',
  w: 'adaptation',
  t: 'time',
  rate: 'rate',
  weight: 'weight',
};

const UNITS: Record<string, string> = { mv: 'mV', ms: 'ms', s: 's', hz: 'Hz', pa: 'pA', na: 'nA', ns: 'nS', mv_per_ms: 'mV/ms' };

/** `membrane potential (mV)` for `v_mv`; a name without a known unit suffix is returned in words only. */
export function quantityTitle(column: string): string {
  for (const [suffix, unit] of Object.entries(UNITS).sort((a, b) => b[0].length - a[0].length)) {
    if (column.endsWith(`_${suffix}`)) {
      const stem = column.slice(0, -suffix.length - 1);
      return `${WORDS[stem] ?? stem.replace(/_/g, ' ')} (${unit})`;
    }
  }
  return WORDS[column] ?? column.replace(/_/g, ' ');
}
