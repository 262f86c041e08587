#!/usr/bin/env python3
"""The MLflow side of forge-bench's `tracking` workload: MLflow with its default SQLite store.

Usage: python3 mlflow_peer.py [--quick] [--runs N]

Everything happens in a fresh temporary directory with tracking URI `sqlite:///<dir>/mlflow.db`
(artifacts under <dir>/artifacts). Figures, matching forge-bench's Forge side:

  log_metric_us       mean time of one `mlflow.log_metric("loss", value, step=i)` call inside an active run
                      (200 calls after 10 warm-up calls; 50 with --quick), microseconds
  log_batch_1000_ms   median time of `MlflowClient.log_batch(run_id, metrics=[1000 Metric])` over 5 calls
                      (each call a new step range, so no duplicates), milliseconds
  search_10k_runs_ms  best of 3 `mlflow.search_runs(experiment_ids=[id],
                      filter_string="metrics.accuracy > 0.9 and params.optimizer = 'adam'",
                      order_by=["metrics.accuracy DESC"], max_results=1000)` over 10 000 runs, milliseconds

The 10 000 runs carry 5 params, 5 metrics and 2 tags each, with the same values forge-bench gives
Forge's runs. Creating them through MLflow's client takes tens of milliseconds per run (create_run +
log_batch + update_run, minutes in total), so one run is made through the client as a template and the
other 9 999 are copies written with Python's sqlite3 straight into MLflow's own tables (runs, params,
tags, metrics, latest_metrics), using the template row for every column MLflow sets; the copies are
then counted through `mlflow.search_runs` before anything is timed.

Prints one JSON object with those keys.
"""
import argparse
import json
import logging
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
import warnings

OPTIMIZERS = ["adam", "sgd", "rmsprop", "adamw"]
FILTER = "metrics.accuracy > 0.9 and params.optimizer = 'adam'"
ORDER_BY = ["metrics.accuracy DESC"]


def accuracy(index):
    return ((index * 7919) % 10000) / 10000


def run_values(index):
    """(params, metrics, tags) of run `index`: the same as forge-bench's Forge side."""
    acc = accuracy(index)
    params = {
        "optimizer": OPTIMIZERS[index % 4], "lr": repr(0.001 * (index % 10 + 1)),
        "batch_size": str([32, 64, 128][index % 3]), "depth": str(index % 6), "seed": str(index),
    }
    metrics = {"accuracy": acc, "loss": 1 - acc, "f1": acc * 0.9, "precision": 0.5, "recall": (index % 100) / 100}
    tags = {"team": "vision" if index % 2 == 0 else "nlp", "stage": "sweep"}
    return params, metrics, tags


def create_runs(client, experiment_id, db_path, count):
    from mlflow.entities import Metric, Param, RunTag
    base_ms = 1_750_000_000_000
    template = client.create_run(experiment_id, run_name="run-0", start_time=base_ms)
    params, metrics, tags = run_values(0)
    client.log_batch(template.info.run_id,
                     metrics=[Metric(k, v, base_ms, 10) for k, v in metrics.items()],
                     params=[Param(k, v) for k, v in params.items()],
                     tags=[RunTag(k, v) for k, v in tags.items()])
    client.set_terminated(template.info.run_id, "FINISHED", end_time=base_ms + 60_000)

    connection = sqlite3.connect(db_path)
    columns = [row[1] for row in connection.execute("PRAGMA table_info(runs)")]
    row = dict(zip(columns, connection.execute(
        "SELECT * FROM runs WHERE run_uuid = ?", (template.info.run_id,)).fetchone()))
    run_rows, param_rows, tag_rows, metric_rows, latest_rows = [], [], [], [], []
    for index in range(1, count):
        run_id = "%032x" % (index + 1 << 64)
        copy = dict(row)
        copy.update(run_uuid=run_id, name="run-%d" % index, start_time=base_ms + index * 1000,
                    end_time=base_ms + index * 1000 + 60_000)
        if "artifact_uri" in copy and copy["artifact_uri"]:
            copy["artifact_uri"] = copy["artifact_uri"].replace(template.info.run_id, run_id)
        run_rows.append(tuple(copy[c] for c in columns))
        params, metrics, tags = run_values(index)
        param_rows += [(k, v, run_id) for k, v in params.items()]
        tag_rows += [(k, v, run_id) for k, v in tags.items()]
        tag_rows.append(("mlflow.runName", "run-%d" % index, run_id))
        metric_rows += [(k, v, base_ms, run_id, 10, 0) for k, v in metrics.items()]
        latest_rows += [(k, v, base_ms, 10, 0, run_id) for k, v in metrics.items()]
    with connection:
        connection.executemany("INSERT INTO runs (%s) VALUES (%s)" % (", ".join(columns), ", ".join("?" * len(columns))), run_rows)
        connection.executemany("INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)", param_rows)
        connection.executemany("INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)", tag_rows)
        connection.executemany(
            "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)", metric_rows)
        connection.executemany(
            "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?)",
            latest_rows)
    connection.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=10_000)
    arguments = parser.parse_args()
    warnings.filterwarnings("ignore")
    logging.getLogger("mlflow").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.ERROR)

    import mlflow
    from mlflow.entities import Metric
    from mlflow.tracking import MlflowClient

    workspace = tempfile.mkdtemp(prefix="forge-bench-mlflow-")
    try:
        db_path = os.path.join(workspace, "mlflow.db")
        mlflow.set_tracking_uri("sqlite:///" + db_path)
        client = MlflowClient()
        experiment_id = client.create_experiment("bench", artifact_location=os.path.join(workspace, "artifacts"))
        result = {}

        # log_metric: one call at a time, as a training loop calls it.
        calls = 50 if arguments.quick else 200
        with mlflow.start_run(experiment_id=experiment_id):
            for step in range(10):
                mlflow.log_metric("warmup", 0.5, step=step)
            start = time.perf_counter()
            for step in range(calls):
                mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
            result["log_metric_us"] = round((time.perf_counter() - start) / calls * 1e6, 2)

        # log_batch of 1000 metrics.
        run = client.create_run(experiment_id, run_name="batch")
        timestamp = int(time.time() * 1000)
        durations = []
        for repeat in range(6):
            metrics = [Metric("m%d" % (i % 10), i * 0.001, timestamp, repeat * 1000 + i) for i in range(1000)]
            start = time.perf_counter()
            client.log_batch(run.info.run_id, metrics=metrics)
            if repeat > 0:  # the first call warms up
                durations.append(time.perf_counter() - start)
        result["log_batch_1000_ms"] = round(statistics.median(durations) * 1e3, 3)

        # search over 10 000 runs.
        search_experiment = client.create_experiment("search", artifact_location=os.path.join(workspace, "artifacts2"))
        create_runs(client, search_experiment, db_path, arguments.runs)
        total = len(mlflow.search_runs(experiment_ids=[search_experiment], max_results=50_000))
        if total != arguments.runs:
            raise SystemExit("mlflow_peer: expected %d runs, search_runs sees %d" % (arguments.runs, total))
        matches = sum(1 for i in range(arguments.runs) if accuracy(i) > 0.9 and OPTIMIZERS[i % 4] == "adam")
        timings = []
        for _ in range(4):
            start = time.perf_counter()
            frame = mlflow.search_runs(experiment_ids=[search_experiment], filter_string=FILTER, order_by=ORDER_BY,
                                       max_results=1000)
            timings.append(time.perf_counter() - start)
            if len(frame) != matches:
                raise SystemExit("mlflow_peer: search found %d runs, expected %d" % (len(frame), matches))
        result["search_10k_runs_ms"] = round(min(timings[1:]) * 1e3, 3)
        result["search_matches"] = matches
        print(json.dumps(result))
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    main()
