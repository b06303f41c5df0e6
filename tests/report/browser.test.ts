/**
 * The reports as a reader sees them: report.html of cuba (and its rate-coded twin), stdp-window and
 * derivative-filter, short runs, opened in headless Chromium (Debian's `chromium`; .ci/run installs it). A copy of
 * each page gets a script that measures every figure as laid out (bounding boxes, not HTML text) and writes what it
 * found into the page, which Chromium then dumps. Every figure must have a non-empty SVG with drawn marks, axis
 * titles in words (no raw column name such as `v_mv`) and a legend with labels; no figure appears twice; every file
 * a page links to exists. A screenshot of each page goes to a temporary folder (kept with
 * CHRONOPROP_KEEP_SCREENSHOTS=1, never in the repository).
 *
 * Without Chromium the test is skipped with a message, except under CI (env CI set), where that is a failure.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, runScenario } from '../../src/api.js';

const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome'];
const browser = BROWSERS.find((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);
const MISSING = `headless Chromium not found (tried ${BROWSERS.join(', ')}): install Debian's chromium (apt-get install chromium) to check the reports in a browser`;

if (!browser && !process.env.CI) console.warn(`tests/report/browser.test.ts skipped: ${MISSING}`);

test.runIf(!browser && !!process.env.CI)('headless Chromium is installed (required under CI)', () => {
  throw new Error(MISSING);
});

interface TextBox {
  text: string;
  width: number;
}
interface FigureCheck {
  id: string;
  title: string;
  width: number;
  height: number;
  marks: number;
  axisTitles: TextBox[];
  legendLabels: TextBox[];
  legendTitles: TextBox[];
  gradients: number;
}

/** Runs in the page: every figure as laid out. */
const MEASURE = `
<script>
const box = (el) => { const r = el.getBoundingClientRect(); return { text: el.textContent.trim(), width: r.width }; };
const figures = [...document.querySelectorAll('figure')].map((fig) => {
  const svg = fig.querySelector('svg');
  const r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  const all = (sel) => (svg ? [...svg.querySelectorAll(sel)] : []);
  const marks = all('.role-mark > *').filter((m) => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }).length;
  return {
    id: fig.id, title: (fig.querySelector('figcaption b') || {}).textContent || '', width: r.width, height: r.height, marks,
    axisTitles: all('.role-axis-title text').map(box), legendLabels: all('.role-legend-label text').map(box),
    legendTitles: all('.role-legend-title text').map(box), gradients: all('.role-legend-gradient > *').length,
  };
});
const pre = document.createElement('pre');
pre.id = 'chronoprop-check';
pre.textContent = JSON.stringify(figures);
document.body.appendChild(pre);
</script>`;

const root = mkdtempSync(join(tmpdir(), 'chronoprop-browser-'));
afterAll(() => {
  if (process.env.CHRONOPROP_KEEP_SCREENSHOTS) console.log(`screenshots kept in ${root}`);
  else rmSync(root, { recursive: true, force: true });
});

const files = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' });

function chromium(args: string[]): string {
  const r = spawnSync(browser!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', `--user-data-dir=${join(root, 'profile')}`, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`chromium ${args.at(-1)} exited ${r.status ?? r.signal}: ${r.stderr.slice(-500)}`);
  return r.stdout;
}

/** Each figure of a report as Chromium lays it out, and a screenshot of the page. */
function inBrowser(dir: string, name: string): FigureCheck[] {
  const page = readFileSync(join(dir, 'report.html'), 'utf8');
  const copy = join(dir, 'report.check.html');
  writeFileSync(copy, page.replace('</body>', `${MEASURE}</body>`));
  const dom = chromium(['--dump-dom', `file://${copy}`]);
  rmSync(copy);
  const m = /<pre id="chronoprop-check">([^<]*)<\/pre>/.exec(dom);
  if (!m) throw new Error(`${name}: the measuring script left nothing in the page`);
  const shot = join(root, `${name}.png`);
  chromium(['--window-size=1100,3000', `--screenshot=${shot}`, `file://${join(dir, 'report.html')}`]);
  expect(statSync(shot).size, `${name}: screenshot ${shot}`).toBeGreaterThan(10_000);
  const json = m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return JSON.parse(json) as FigureCheck[];
}

const RUNS: { name: string; scenario: string; set: string[] }[] = [
  { name: 'cuba', scenario: 'cuba', set: ['duration_ms=300'] },
  { name: 'cuba-rate', scenario: 'cuba', set: ['duration_ms=40', 'mode=rate'] },
  { name: 'stdp-window', scenario: 'stdp-window', set: ['settings.pairings=3', 'settings.offsets_ms={"from":-60,"to":60,"step":5}'] },
  { name: 'derivative-filter', scenario: 'derivative-filter', set: ['settings.trials=40', 'settings.slopes_hz_per_s=[-40,0,40]'] },
];

describe.runIf(!!browser)('reports in headless Chromium', () => {
  const seen = new Map<string, { dir: string; html: string; figures: FigureCheck[] }>();

  beforeAll(async () => {
    for (const r of RUNS) {
      const dir = join(root, r.name);
      await runScenario(loadScenario(r.scenario, { set: r.set }), dir, { workers: 1 });
      seen.set(r.name, { dir, html: readFileSync(join(dir, 'report.html'), 'utf8'), figures: inBrowser(dir, r.name) });
    }
  });

  test.each(RUNS.map((r) => r.name))('%s: every figure is drawn, with axis titles in words and a legend', (name) => {
    const { figures } = seen.get(name)!;
    expect(figures.length, `${name} has figures`).toBeGreaterThan(0);
    for (const f of figures) {
      const what = `${name}, ${f.id}`;
      expect(f.width * f.height, `${what}: SVG laid out`).toBeGreaterThan(100 * 100);
      expect(f.marks, `${what}: marks drawn`).toBeGreaterThan(0);
      const titles = f.axisTitles.filter((t) => t.text !== '' && t.width > 0);
      expect(titles.length, `${what}: axis titles ${JSON.stringify(f.axisTitles)}`).toBeGreaterThanOrEqual(2);
      for (const t of titles) expect(t.text, `${what}: axis title in words`).not.toMatch(/^[a-z0-9]+(_[a-z0-9]+)+$/);
      const labels = f.legendLabels.filter((t) => t.text !== '' && t.width > 0);
      expect(labels.length + f.gradients, `${what}: a legend naming the marks`).toBeGreaterThan(0);
      for (const t of labels) expect(t.text, `${what}: legend label not cut short`).not.toMatch(/…$/);
    }
    const titles = figures.map((f) => f.title);
    expect(new Set(titles).size, `${name}: no figure twice (${titles.join(' | ')})`).toBe(titles.length);
  });

  test.each(RUNS.map((r) => r.name))('%s: the page links only to files the run wrote', (name) => {
    const { dir, html } = seen.get(name)!;
    const links = [...html.matchAll(/href="([^"#:]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(existsSync(join(dir, l)), `${name}: ${l}`).toBe(true);
    if (!existsSync(join(dir, 'spikes.h5'))) expect(html).not.toMatch(/SONATA|spikes\.h5/);
    if (!files(dir).some((f) => f.endsWith('.npy'))) expect(html).not.toMatch(/\.npy/);
  });

  test('the raster of cuba draws one tick per spike, and says so', () => {
    const f = seen.get('cuba')!.figures.find((x) => x.id === 'fig-raster')!;
    const spikes = JSON.parse(readFileSync(join(seen.get('cuba')!.dir, 'run.json'), 'utf8')).counts.spikes;
    expect(f.marks).toBe(spikes);
    expect(seen.get('cuba')!.html).toContain('Each tick is one spike');
  });

  test('a rate-mode run draws its rates and prints no spiking-only field', () => {
    const { html, figures } = seen.get('cuba-rate')!;
    expect(figures.map((f) => f.id)).toEqual(['fig-rate', 'fig-rate-final']);
    expect(html).not.toMatch(/<th>(spikes|synaptic events|CV of ISI|synchrony χ)<\/th>/);
    expect(html).toContain('rate-coded twin');
  });

  test('experiment settings come after the results, collapsed', () => {
    const { html } = seen.get('derivative-filter')!;
    const settings = html.indexOf('<details class="settings">');
    expect(settings).toBeGreaterThan(html.lastIndexOf('<figure'));
    expect(html.slice(0, settings)).not.toContain('settings.trials');
    expect(html.slice(settings)).toMatch(/<th>trials<\/th><td>40<\/td>/);
  });
});
