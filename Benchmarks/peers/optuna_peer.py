#!/usr/bin/env python3
"""ForgeTuning's benchmark workload `tuning` measured with Optuna (issue 7), for side-by-side comparison.

Usage: python3 optuna_peer.py [--quick] [--gp] [--out results.json]

Prints one JSON object {"peer": "optuna", "optuna": <version>, "tuning": {...}} whose "tuning" member
has the keys of `forge-bench --json tuning` (and of shared/reference/optuna_reference.py):

  results -> "<function>/<sampler>" -> optimum, median_best_at_25/50/100
      median over 5 seeds (0..4; 3 with --quick) of the best value after 25, 50 and 100 trials,
      minimizing Branin (x1 in [-5, 10], x2 in [0, 15]) and Hartmann-6 (x0..x5 in [0, 1]) with Optuna's
      TPESampler (defaults), RandomSampler and, with --gp, GPSampler (defaults; needs torch and scipy), each trial
      study.ask(), trial.suggest_float per parameter, study.tell.
  tpe_ms_per_trial_at_100/1000
      wall time of the whole ask/suggest/tell loop on Branin with TPESampler(seed=0) and in-memory
      storage, divided by the number of trials.

Benchmarks/compare runs this script for the `tuning` workload ($FORGE_OPTUNA_PYTHON, or the repository's
.venv, must import optuna; it passes --gp when FORGE_OPTUNA_GP=1).
"""
import argparse
import json
import math
import statistics
import time


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    a, b, c, r, s, t = 1, 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6, 10, 1 / (8 * math.pi)
    return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s


H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
H6_ALPHA = [1.0, 1.2, 3.0, 3.2]


def hartmann6(p):
    x = [p["x%d" % i] for i in range(6)]
    return -sum(H6_ALPHA[i] * math.exp(-sum(H6_A[i][j] * (x[j] - H6_P[i][j] * 1e-4) ** 2 for j in range(6)))
                for i in range(4))


FUNCTIONS = {
    "branin": (branin, {"x1": (-5, 10), "x2": (0, 15)}, 0.397887),
    "hartmann6": (hartmann6, {"x%d" % i: (0, 1) for i in range(6)}, -3.32237),
}


def make_sampler(optuna, name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "gp":
        return optuna.samplers.GPSampler(seed=seed)
    return optuna.samplers.RandomSampler(seed=seed)


def trace(optuna, function_name, sampler_name, seed, trials):
    function, space, _ = FUNCTIONS[function_name]
    study = optuna.create_study(sampler=make_sampler(optuna, sampler_name, seed))
    best, result = math.inf, []
    for _ in range(trials):
        trial = study.ask()
        value = function({name: trial.suggest_float(name, low, high) for name, (low, high) in space.items()})
        study.tell(trial, value)
        best = min(best, value)
        result.append(best)
    return result


def tuning(quick=False, with_gp=False):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    seeds = 3 if quick else 5
    results = {}
    for function_name, (_, _, optimum) in FUNCTIONS.items():
        for sampler_name in ("tpe", "random", "gp") if with_gp else ("tpe", "random"):
            try:
                traces = [trace(optuna, function_name, sampler_name, seed, 100) for seed in range(seeds)]
            except ImportError:  # GPSampler needs torch and scipy
                results["%s/%s" % (function_name, sampler_name)] = {"optimum": optimum, "error": "n/a"}
                continue
            results["%s/%s" % (function_name, sampler_name)] = {
                "optimum": optimum,
                **{"median_best_at_%d" % k: round(statistics.median(t[k - 1] for t in traces), 5)
                   for k in (25, 50, 100)}}
    report = {"seeds": seeds, "results": results}
    for count in (100, 1000):
        start = time.perf_counter()
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
        for _ in range(count):
            trial = study.ask()
            study.tell(trial, branin({"x1": trial.suggest_float("x1", -5, 10),
                                      "x2": trial.suggest_float("x2", 0, 15)}))
        report["tpe_ms_per_trial_at_%d" % count] = round((time.perf_counter() - start) * 1e3 / count, 3)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 seeds instead of 5")
    parser.add_argument("--gp", action="store_true",
                        help="also run Optuna's GPSampler (slow: minutes per seed on 2 cores; needs torch and scipy)")
    parser.add_argument("--threads", type=int, default=2, help="accepted for symmetry with the other peers")
    parser.add_argument("--out", help="also write the JSON object to this file")
    arguments, _ = parser.parse_known_args()
    import optuna
    result = {"peer": "optuna", "optuna": optuna.__version__, "tuning": tuning(arguments.quick, arguments.gp)}
    print(json.dumps(result, indent=1))
    if arguments.out:
        with open(arguments.out, "w") as file:
            json.dump(result, file, indent=1)


if __name__ == "__main__":
    main()
