#!/usr/bin/env python3
"""A discrete-event model of the inference loop's step planning under the sidebyside load (closed-loop streaming
clients, every prompt about the same length, every reply max_tokens long), to compare planning policies quickly and
without noise before measuring them for real. A step costs FIXED + PER_TOKEN x rows milliseconds (what StepCostModel
fits on a CPU), times a noise factor with a heavy tail (a step now and then takes twice as long, as on a shared
machine), so the ITL p99 of a plain decode step is about twice its p50, as measured.

  bench/scripts/step-budget-sim.py [--fixed 56] [--per-token 4] [--prompt 140] [--out 128] [--requests-per-stream 2]

Policies: llama-server (every step fills the batch with prompt tokens, oldest first), before (the budget of
2026-12-07: 1.5 x a full decode step, a backlog share of the chunk, the whole chunk when more prompts wait than
streams run, the whole batch when idle) and now (StepBudget: 2 x a full decode step beside running streams, the
oldest prompt whole when idle). Ratios are over llama-server, averaged over seeds; figures are a model's, not a
measurement's: docs/performance.md has the measured ones.
"""
import argparse
import random

parser = argparse.ArgumentParser()
parser.add_argument('--fixed', type=float, default=56.0, help='ms a step costs whatever its size')
parser.add_argument('--per-token', type=float, default=4.0, help='ms each row adds')
parser.add_argument('--prompt', type=int, default=140, help='prompt tokens (+-10)')
parser.add_argument('--out', type=int, default=128, help='tokens generated per request')
parser.add_argument('--batch', type=int, default=512)
parser.add_argument('--slots', type=int, default=8)
parser.add_argument('--chunk', type=int, default=128)
parser.add_argument('--requests-per-stream', type=int, default=2, help='2 is sidebyside\'s default')
parser.add_argument('--seeds', type=int, default=10)
args = parser.parse_args()
F, C = args.fixed, args.per_token


def cost(rows, rng):
    factor = 2.0 if rng.random() < 0.025 else max(0.5, rng.gauss(1, 0.05))
    return (F + C * rows) * factor


def fit(target, generating):
    return int((target - (F + C * generating)) / C)


def llama_server(generating, prefilling):
    return args.batch - generating


def before(generating, prefilling):
    if generating == 0:
        return args.batch
    waiting = len(prefilling)
    if waiting > generating:
        return args.chunk
    share = args.chunk * waiting // (waiting + generating)
    return min(args.chunk, max(4, share, fit(1.5 * (F + C * args.slots), generating)))


def now(generating, prefilling):
    target = 2.0 * (F + C * args.slots)
    if generating == 0:
        oldest = min(prefilling, key=lambda s: s['submitted'])
        return max(oldest['prompt'] - oldest['cursor'], fit(target, 0))
    return min(args.chunk, max(4, fit(target, generating)))


def run(policy, streams, seed):
    rng = random.Random(seed)
    clock, slots, itl, ttft, tokens = 0.0, [], [], [], 0
    arrivals, issued = [0.0] * streams, streams
    requests = streams * args.requests_per_stream
    while slots or arrivals:
        for at in [a for a in arrivals if a <= clock]:
            arrivals.remove(at)
            slots.append(dict(cursor=0, generated=0, last=None, submitted=at, prompt=args.prompt + rng.randint(-10, 10)))
        if not slots:
            clock = min(arrivals)
            continue
        generating = [s for s in slots if s['cursor'] >= s['prompt']]
        prefilling = sorted((s for s in slots if s['cursor'] < s['prompt']), key=lambda s: s['submitted'])
        budget = min(policy(len(generating), prefilling) if prefilling else 0, args.batch - len(generating))
        rows, plan = len(generating), []
        for slot in prefilling:
            take = min(budget, slot['prompt'] - slot['cursor'])
            if take <= 0:
                break
            plan.append((slot, take))
            budget -= take
            rows += take
        clock += cost(rows, rng)
        for slot, take in plan:
            slot['cursor'] += take
        for slot in generating + [s for s, _ in plan if s['cursor'] >= s['prompt']]:
            (ttft.append(clock - slot['submitted']) if slot['generated'] == 0 else itl.append(clock - slot['last']))
            slot['last'], slot['generated'], tokens = clock, slot['generated'] + 1, tokens + 1
            if slot['generated'] >= args.out:
                slots.remove(slot)
                if issued < requests:
                    arrivals.append(clock + 3)  # the client's turnaround
                    issued += 1
    itl.sort()
    ttft.sort()
    return dict(itl99=itl[int(0.99 * len(itl))], ttft50=ttft[len(ttft) // 2], aggregate=tokens / clock * 1000)


def mean(policy, streams, key):
    return sum(run(policy, streams, seed)[key] for seed in range(args.seeds)) / args.seeds


print(f'step = {F} + {C} x rows ms, prompts ~{args.prompt}, replies {args.out}, '
      f'{args.requests_per_stream} requests per stream; ratios over llama-server')
print('| streams | policy | ITL p99 | TTFT p50 | aggregate |')
print('| ---: | --- | ---: | ---: | ---: |')
for streams in (4, 8):
    anchor = {k: mean(llama_server, streams, k) for k in ('itl99', 'ttft50', 'aggregate')}
    for name, policy in (('before', before), ('now', now)):
        ratios = [mean(policy, streams, k) / anchor[k] for k in ('itl99', 'ttft50', 'aggregate')]
        print(f'| {streams} | {name} | {ratios[0]:.2f} | {ratios[1]:.2f} | {ratios[2]:.3f} |')
