/**
 * Every neuron model, model kind, spike source and synapse rule chronoprop knows, with each parameter's unit, default,
 * bound and meaning, read from their definitions: a model's ParamSpec table (neurons/model.ts), a source's or rule's
 * zod schema with each field's `.meta({unit, description})`. `chronoprop models` prints it as text
 * (catalogueText); `npm run docs:tables` writes it as docs/models-table.md (catalogueMarkdown), and a test keeps that
 * file equal to what the definitions give, so the two cannot drift. The registries are handed in (src/registry.ts).
 */
import { z } from 'zod';
import type { NeuronModel, ParamSpec } from '../neurons/model.js';
import { receptorsOf } from '../neurons/model.js';

export interface CatalogueParam {
  name: string;
  unit: string;
  /** The default as written in a scenario, "required", or "-" (optional, no default). */
  default: string;
  /** "> 0", ">= 0", or "" */
  bound: string;
  doc: string;
}

export interface CatalogueEntry {
  name: string;
  summary: string;
  params: CatalogueParam[];
  /** Further lines: state variables, receptors, fields. */
  notes: string[];
}

export interface CatalogueSection {
  title: string;
  /** Where a scenario names an entry, e.g. `populations[].model`. */
  where: string;
  /** A line on what holds for every entry of the section. */
  note: string;
  entries: CatalogueEntry[];
}

/** What the catalogue is read from. */
export interface Registries {
  neuronModels: Readonly<Record<string, NeuronModel>>;
  neuronModelKinds: Readonly<Record<string, { summary: string; fields: Readonly<Record<string, string>> }>>;
  sourceKinds: Readonly<Record<string, { summary: string; schema: z.ZodType }>>;
  plasticityRules: Readonly<Record<string, { summary: string; spec: z.ZodObject }>>;
  shortTermRules?: Readonly<Record<string, { summary: string; spec: z.ZodObject }>>;
}

function modelParam(name: string, p: ParamSpec): CatalogueParam {
  const bound = p.min === undefined ? '' : `${p.exclusive ? '>' : '>='} ${p.min}`;
  return { name, unit: p.unit === '1' ? '' : p.unit, default: String(p.default), bound, doc: p.doc };
}

/** One field of a zod object, from its JSON Schema (which carries the default, the bounds and the meta). */
function schemaParam(name: string, field: z.ZodType): CatalogueParam | null {
  const js = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  if ('const' in js) return null; // the discriminator (`rule`)
  const optional = field.safeParse(undefined).success;
  // A default that depends on another field (the triplet rule's fitted values) is stated in words, as default_text.
  const dflt = 'default' in js ? JSON.stringify(js.default) : typeof js.default_text === 'string' ? js.default_text : optional ? '-' : 'required';
  const lower = 'exclusiveMinimum' in js ? `> ${js.exclusiveMinimum}` : 'minimum' in js ? `>= ${js.minimum}` : '';
  const upper = 'exclusiveMaximum' in js ? `< ${js.exclusiveMaximum}` : 'maximum' in js ? `<= ${js.maximum}` : '';
  const bound = [lower, upper].filter((b) => b !== '').join(', ');
  const choices = Array.isArray(js.enum) ? js.enum : Array.isArray(js.anyOf) && js.anyOf.every((o: { const?: unknown }) => 'const' in o) ? js.anyOf.map((o: { const: unknown }) => o.const) : null;
  const doc = String(js.description ?? '');
  return {
    name,
    unit: String(js.unit ?? ''),
    default: dflt.replace(/^"(.*)"$/, '$1'),
    bound: choices ? choices.map((c) => String(c)).join(' | ') : bound,
    doc,
  };
}

function schemaParams(schema: z.ZodType): CatalogueParam[] {
  const shape = (schema as z.ZodObject).shape as Record<string, z.ZodType> | undefined;
  if (!shape) return [];
  return Object.entries(shape).flatMap(([k, f]) => schemaParam(k, f) ?? []);
}

/** The catalogue of the given registries, in registration order. */
export function catalogue(r: Registries): CatalogueSection[] {
  return [
    {
      title: 'Neuron models',
      where: 'populations[].model',
      note: 'Every parameter may also vary per neuron: {"uniform": [lo, hi]}, {"normal": [mean, sd], "min": a, "max": b} or a list of size values.',
      entries: Object.values(r.neuronModels).map((m) => ({
        name: m.name,
        summary: m.summary,
        params: Object.entries(m.params).map(([k, p]) => modelParam(k, p)),
        notes: [
          `state: ${Object.entries(m.state).map(([k, s]) => `${k} (${s.unit})`).join(', ')}`,
          `receptors: ${receptorsOf(m).join(', ')}`,
        ],
      })),
    },
    {
      title: 'Model kinds',
      where: 'populations[].model',
      note: 'A model built from the population\'s own fields.',
      entries: Object.entries(r.neuronModelKinds).map(([name, k]) => ({
        name,
        summary: k.summary,
        params: [],
        notes: Object.entries(k.fields).map(([f, doc]) => `${f}: ${doc}`),
      })),
    },
    {
      title: 'Spike sources',
      where: 'populations[].model',
      note: 'Sources emit spikes and receive none.',
      entries: Object.entries(r.sourceKinds).map(([name, s]) => ({ name, summary: s.summary, params: schemaParams(s.schema), notes: [] })),
    },
    {
      title: 'Plasticity rules',
      where: 'projections[].plasticity.rule',
      note: 'Long-term: the rule changes the stored weights at exact spike times.',
      entries: Object.entries(r.plasticityRules).map(([name, s]) => ({ name, summary: s.summary, params: schemaParams(s.spec), notes: [] })),
    },
    {
      title: 'Short-term plasticity',
      where: 'projections[].short_term.rule',
      note: 'Scales each delivered weight by the synapse\'s efficacy at that spike; combines with a plasticity rule.',
      entries: Object.entries(r.shortTermRules ?? {}).map(([name, s]) => ({ name, summary: s.summary, params: schemaParams(s.spec), notes: [] })),
    },
  ].filter((s) => s.entries.length > 0);
}

function pad(rows: string[][]): string[] {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((x, c) => x.padEnd(w[c])).join('  ').trimEnd());
}

/** Plain text, for the terminal. */
export function catalogueText(sections: CatalogueSection[]): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push(`${s.title} (${s.where}). ${s.note}`, '');
    for (const e of s.entries) {
      out.push(`  ${e.name}: ${e.summary}`);
      for (const n of e.notes) out.push(`    ${n}`);
      if (e.params.length > 0) {
        const rows = [['parameter', 'unit', 'default', 'allowed', 'meaning'], ...e.params.map((p) => [p.name, p.unit, p.default, p.bound, p.doc])];
        for (const line of pad(rows)) out.push(`    ${line}`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

const cell = (x: string) => (x === '' ? '' : x.replace(/\|/g, '\\|'));

/** Where `npm run docs:tables` writes catalogueMarkdown, relative to the repository. */
export const MODELS_TABLE_FILE = 'docs/models-table.md';

/** Markdown, for docs/models-table.md. */
export function catalogueMarkdown(sections: CatalogueSection[]): string {
  const out = [
    '# Models and rules',
    '',
    'Every neuron model, model kind, spike source and synapse rule, with its parameters, units and defaults.',
    'Generated from their definitions by `npm run docs:tables` (the same as `chronoprop models`); do not edit by',
    'hand: a test fails when this file and the definitions disagree. Units are ms and mV throughout.',
    '',
  ];
  for (const s of sections) {
    out.push(`## ${s.title}`, '', `Named in \`${s.where}\`. ${s.note}`, '');
    for (const e of s.entries) {
      out.push(`### \`${e.name}\``, '', `${e.summary[0].toUpperCase()}${e.summary.slice(1)}.`, '');
      for (const n of e.notes) out.push(`- ${n}`);
      if (e.notes.length > 0) out.push('');
      if (e.params.length > 0) {
        out.push('| parameter | unit | default | allowed | meaning |', '|---|---|---|---|---|');
        for (const p of e.params) out.push(`| \`${p.name}\` | ${cell(p.unit)} | ${cell(p.default)} | ${cell(p.bound)} | ${cell(p.doc)} |`);
        out.push('');
      }
    }
  }
  return out.join('\n');
}
