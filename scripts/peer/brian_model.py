"""
Builds the Brian2 equivalent of a chronoprop scenario, read from the scenario JSON itself so that the two
simulators cannot drift apart. The input is a *resolved* scenario (as written by scripts/peer-compare.ts: every
`lif` parameter explicit, `--set` and `--seed` already applied), so no chronoprop default is repeated here.

Mapping (chronoprop -> Brian2, dt-stepped with method='exact'):

    lif          tau_m dv/dt = v_rest - v + i_exc + i_inh + i_bias   (unless refractory)
                 tau_syn_exc di_exc/dt = -i_exc, tau_syn_inh di_inh/dt = -i_inh   (absent for a delta receptor)
                 threshold v >= v_th, reset v = v_reset, refractory t_ref
    receptor     exponential: i_<r>_post += w; delta (tau_syn = 0): v_post += w, discarded while refractory
                 (chronoprop's lif and NEST's iaf_psc_delta discard delta input during the refractory period)
    poisson_source   PoissonGroup, rate confined to [start_ms, stop_ms)
    spike_source     SpikeGeneratorGroup
    connect      all_to_all, one_to_one, fixed_probability (p=), fixed_indegree (sample(N_pre, size=n) per
                 target, autapses excluded by sampling N_pre - 1 and skipping j), pairs (explicit arrays)
    stdp         per-synapse event-driven traces apre (tau_plus) and apost (tau_minus), in chronoprop's order:
                 pre arrival: w += d_pre * F * apost, apre += 1 (nearest: = 1), then deliver w;
                 post spike:  w += d_post * F * apre, apost += 1 (nearest: = 1); w clipped to [w_min, w_max].

Differences that remain by design: Brian2 puts spikes and delays on the dt grid and checks the threshold once per
step; chronoprop finds each crossing at its exact time. Random draws (connectivity, initial v, Poisson trains)
are different realizations of the same distributions, unless `network_dir` holds chronoprop's own network
(scripts/perf/network-files.ts): then every projection is connected from its exported (pre, post, weight, delay)
arrays and every lif population starts from its exported state, and only the Poisson trains are redrawn.
"""

import os

import numpy as np
import brian2 as b2
from brian2 import ms, mV, Hz

LIF_PARAMS = ('tau_m_ms', 'v_rest_mv', 'v_reset_mv', 'v_th_mv', 't_ref_ms', 'i_bias_mv', 'tau_syn_exc_ms',
              'tau_syn_inh_ms')


class Unsupported(Exception):
    """A scenario feature this translator does not map to Brian2."""


def value_expr(spec, unit, where):
    """A chronoprop ValueSpec as a Brian2 expression string in `unit` ('mV' or 'ms')."""
    if isinstance(spec, (int, float)):
        return f'{float(spec)!r}*{unit}'
    if 'uniform' in spec:
        lo, hi = spec['uniform']
        return f'({float(lo)!r} + rand()*{float(hi) - float(lo)!r})*{unit}'
    if 'normal' in spec:
        m, s = spec['normal']
        return f'({float(m)!r} + randn()*{float(s)!r})*{unit}'
    raise Unsupported(f'{where}: value {spec!r}')


class Exported:
    """chronoprop's exported network (scripts/perf/network-files.ts), read lazily by name."""

    def __init__(self, folder):
        self.folder = folder

    def read(self, name, kind):
        return np.fromfile(os.path.join(self.folder, name), dtype='<i4' if kind == 'i32' else '<f8')

    def projection(self, name):
        return {k: self.read(f'{name}.{k}.{t}', t) for k, t in
                (('pre', 'i32'), ('post', 'i32'), ('weight_mv', 'f64'), ('delay_ms', 'f64'))}


def lif_group(pop, exported=None):
    p = pop['params']
    missing = [k for k in LIF_PARAMS if not isinstance(p.get(k), (int, float))]
    if missing:
        raise Unsupported(f"populations.{pop['name']}.params: needs every lif parameter explicit (a resolved "
                          f"scenario from peer-compare), missing {', '.join(missing)}")
    ns = {'tau_m': p['tau_m_ms'] * ms, 'v_rest': p['v_rest_mv'] * mV, 'v_reset': p['v_reset_mv'] * mV,
          'v_th': p['v_th_mv'] * mV, 'i_bias': p['i_bias_mv'] * mV}
    terms = []
    syn = []
    for r in ('exc', 'inh'):
        tau = p[f'tau_syn_{r}_ms']
        if tau > 0:
            ns[f'tau_{r}'] = tau * ms
            terms.append(f'i_{r}')
            syn.append(f'di_{r}/dt = -i_{r}/tau_{r} : volt')
    drive = ' + '.join(['v_rest - v', *terms, 'i_bias'])
    eqs = '\n'.join([f'dv/dt = ({drive})/tau_m : volt (unless refractory)', *syn])
    g = b2.NeuronGroup(pop['size'], eqs, threshold='v >= v_th', reset='v = v_reset',
                       refractory=p['t_ref_ms'] * ms, method='exact', namespace=ns, name=pop['name'])
    g.v = p['v_rest_mv'] * mV
    if exported is not None:
        for var in ('v', 'i_exc', 'i_inh'):
            values = exported.read(f"{pop['name']}.{var}_mv.f64", 'f64')
            if var == 'v' or var in terms:  # a delta receptor has no current variable
                setattr(g, var, values * mV)
        return g
    for var, spec in pop.get('init', {}).items():
        if var not in ('v_mv', 'i_exc_mv', 'i_inh_mv'):
            raise Unsupported(f"populations.{pop['name']}.init.{var}")
        setattr(g, var[:-3], value_expr(spec, 'mV', f"populations.{pop['name']}.init.{var}"))
    return g


def source_group(pop):
    p = pop['params']
    name = pop['name']
    if pop['model'] == 'poisson_source':
        if not isinstance(p['rate_hz'], (int, float)):
            raise Unsupported(f'populations.{name}.params.rate_hz: rate profiles')
        start = p.get('start_ms', 0)
        stop = p.get('stop_ms')
        window = f'int(t >= {float(start)!r}*ms)' + (f' * int(t < {float(stop)!r}*ms)' if stop is not None else '')
        return b2.PoissonGroup(pop['size'], rates=f'{float(p["rate_hz"])!r}*Hz * {window}', name=name)
    if pop['model'] == 'spike_source':
        idx = [i for i, ts in enumerate(p['spike_times_ms']) for _ in ts]
        ts = [t for times in p['spike_times_ms'] for t in times]
        return b2.SpikeGeneratorGroup(pop['size'], np.array(idx, dtype=int), np.array(ts) * ms, name=name)
    raise Unsupported(f"populations.{name}.model: {pop['model']}")


def stdp_code(pl, target):
    """Model, on_pre and on_post of a projection with chronoprop's `stdp` rule."""
    if pl['rule'] != 'stdp':
        raise Unsupported(f"plasticity rule {pl['rule']}")
    sign = pl.get('sign', 1)
    k = -1 if pl.get('window', 'antisymmetric') == 'antisymmetric' else 1
    d_post = sign * pl['a_plus']
    d_pre = sign * k * pl['a_minus']
    lo, hi = pl.get('w_min_mv', 0), pl['w_max_mv']
    mult = pl.get('weight_dependence', 'additive') == 'multiplicative'

    def step(d, trace):
        factor = ''
        if mult:
            factor = f' * ({hi!r}*mV - w)/({hi - lo!r}*mV)' if d > 0 else f' * (w - {lo!r}*mV)/({hi - lo!r}*mV)'
        return f'w = clip(w + {d!r}*mV * {trace}{factor}, {lo!r}*mV, {hi!r}*mV)'

    bump = '= 1' if pl.get('pairing', 'all_to_all') == 'nearest' else '+= 1'
    model = '\n'.join(['w : volt',
                       f"dapre/dt = -apre/({pl['tau_plus_ms']!r}*ms) : 1 (event-driven)",
                       f"dapost/dt = -apost/({pl['tau_minus_ms']!r}*ms) : 1 (event-driven)"])
    on_pre = '\n'.join([step(d_pre, 'apost'), f'apre {bump}', target])
    on_post = '\n'.join([step(d_post, 'apre'), f'apost {bump}'])
    return model, on_pre, on_post


def connect(syn, c, same_pop, where):
    no_autapse = same_pop and not c.get('allow_autapses', False)
    rule = c['rule']
    if rule == 'all_to_all':
        syn.connect(condition='i != j') if no_autapse else syn.connect()
    elif rule == 'one_to_one':
        syn.connect(j='i', skip_if_invalid=True)
    elif rule == 'fixed_probability':
        syn.connect(condition='i != j', p=c['p']) if no_autapse else syn.connect(p=c['p'])
    elif rule == 'fixed_indegree':
        n = int(c['n'])
        if no_autapse:
            syn.connect(i=f'k + int(k >= j) for k in sample(N_pre - 1, size={n})')
        else:
            syn.connect(i=f'k for k in sample(N_pre, size={n})')
    elif rule == 'pairs':
        syn.connect(i=np.array(c['pre'], dtype=int), j=np.array(c['post'], dtype=int))
    else:
        raise Unsupported(f'{where}.connect.rule: {rule}')


def projection(pr, groups, models, exported=None):
    where = f"projections.{pr['name']}"
    pre, post = groups[pr['from']], groups[pr['to']]
    tp = models[pr['to']]['params']
    delta = tp[f"tau_syn_{pr['receptor']}_ms"] == 0
    # A delta input moves v and is discarded while the target is refractory; an exponential one feeds i_<receptor>.
    target = 'v_post += w * int(not_refractory_post)' if delta else f"i_{pr['receptor']}_post += w"
    pl = pr.get('plasticity')
    w_spec = pr['weight_mv']
    if pl:
        model, on_pre, on_post = stdp_code(pl, target)
        syn = b2.Synapses(pre, post, model=model, on_pre=on_pre, on_post=on_post, name=pr['name'])
    elif isinstance(w_spec, (int, float)):
        # Constant weight: no per-synapse variable, as in Brian2's CUBA example.
        syn = b2.Synapses(pre, post, on_pre=target.replace('+= w', f'+= {float(w_spec)!r}*mV'), name=pr['name'])
    else:
        syn = b2.Synapses(pre, post, model='w : volt', on_pre=target, name=pr['name'])
    if exported is not None:
        return exported_synapses(syn, exported.projection(pr['name']), pl, w_spec)
    connect(syn, pr['connect'], pr['from'] == pr['to'], where)
    if pl or not isinstance(w_spec, (int, float)):
        syn.w = value_expr(w_spec, 'mV', f'{where}.weight_mv')
        if pl:
            lo, hi = pl.get('w_min_mv', 0), pl['w_max_mv']
            syn.w = f'clip(w, {lo!r}*mV, {hi!r}*mV)'
    d = pr.get('delay_ms', 0)
    if isinstance(d, (int, float)):
        if d > 0:
            syn.delay = d * ms
    else:
        syn.delay = f"clip({value_expr(d, 'ms', where + '.delay_ms')}, 0*ms, inf*ms)"
    return syn


def exported_synapses(syn, e, pl, w_spec):
    """Connects from chronoprop's arrays; per-synapse weights where the synapse has a w variable."""
    syn.connect(i=e['pre'], j=e['post'])
    if pl or not isinstance(w_spec, (int, float)):
        syn.w = e['weight_mv'] * mV
    elif not np.all(e['weight_mv'] == w_spec):
        raise Unsupported(f'exported weights of {syn.name} differ from its constant weight_mv')
    if len(e['delay_ms']) and np.any(e['delay_ms'] > 0):
        syn.delay = e['delay_ms'] * ms
    return syn


def build(sc, network_dir=None):
    """Brian2 objects for a resolved scenario: (objects, {population: SpikeMonitor}, {projection: Synapses})."""
    exported = Exported(network_dir) if network_dir else None
    groups, models, objects = {}, {}, []
    for pop in sc['populations']:
        g = lif_group(pop, exported) if pop['model'] == 'lif' else source_group(pop)
        groups[pop['name']] = g
        models[pop['name']] = pop
        objects.append(g)
    synapses = {}
    for pr in sc['projections']:
        synapses[pr['name']] = projection(pr, groups, models, exported)
        objects.append(synapses[pr['name']])
    monitors = {name: b2.SpikeMonitor(g, name=f'spikes_{name}') for name, g in groups.items()
                if models[name]['model'] == 'lif'}
    objects.extend(monitors.values())
    return objects, monitors, synapses
