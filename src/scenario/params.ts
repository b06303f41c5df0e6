/**
 * Model defaults overlaid with the given parameters, one number each. For code that needs one value per population
 * (the rate twin); a value drawn per neuron (scenario/neuron-params.ts) is refused here rather than read as the
 * default.
 */
export function resolveParams(specs: Record<string, { default: number }>, given: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, s] of Object.entries(specs)) {
    const v = Object.hasOwn(given, k) ? given[k] : undefined;
    if (v !== undefined && typeof v !== 'number') throw new Error(`parameter ${k} must be one number here (one value per population), got ${JSON.stringify(v)}`);
    out[k] = v ?? s.default;
  }
  return out;
}
