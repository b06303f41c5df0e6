/** Model defaults overlaid with the given parameters. */
export function resolveParams(specs: Record<string, { default: number }>, given: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, s] of Object.entries(specs)) out[k] = typeof given[k] === 'number' ? (given[k] as number) : s.default;
  return out;
}
