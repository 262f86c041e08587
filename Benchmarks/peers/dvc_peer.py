#!/usr/bin/env python3
"""The DVC side of forge-bench's `versioning` workload: times real `dvc` commands on the same files.

Usage: python3 dvc_peer.py --data DIR [--dvc PATH]

DIR holds `big.bin` (the 1 GB file) and `many/` (2000 files of 50 KB), made by forge-bench. Each
command runs once, as a user would run it, in a fresh `dvc init --no-scm` repository inside DIR/dvc-repo
(the files are copied in first, untimed):

  snapshot_big_s      dvc add big.bin
  snapshot_many_s     dvc add many
  status_clean_s      dvc status          (nothing changed since the add)
  resnapshot_1mb_s    dvc add big.bin     after overwriting 1 MB in the middle
  resnapshot_1mb_new_bytes   growth of .dvc/cache caused by that re-add

Prints one JSON object with those keys (seconds, bytes).
"""
import argparse
import json
import os
import shutil
import subprocess
import time


def timed(command, cwd):
    os.sync()  # as forge-bench does: no side pays for the other's write-back
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, DVC_NO_ANALYTICS="1"))
    return time.perf_counter() - start


def folder_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.lstat(os.path.join(root, name)).st_size
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--dvc", default=shutil.which("dvc") or "dvc")
    arguments = parser.parse_args()
    repo = os.path.join(arguments.data, "dvc-repo")
    shutil.rmtree(repo, ignore_errors=True)
    os.makedirs(repo)
    subprocess.run([arguments.dvc, "init", "--no-scm", "-q"], cwd=repo, check=True)
    shutil.copyfile(os.path.join(arguments.data, "big.bin"), os.path.join(repo, "big.bin"))
    shutil.copytree(os.path.join(arguments.data, "many"), os.path.join(repo, "many"))
    result = {}
    result["snapshot_big_s"] = timed([arguments.dvc, "add", "-q", "big.bin"], repo)
    result["snapshot_many_s"] = timed([arguments.dvc, "add", "-q", "many"], repo)
    result["status_clean_s"] = timed([arguments.dvc, "status", "-q"], repo)
    before = folder_bytes(os.path.join(repo, ".dvc", "cache"))
    path = os.path.join(repo, "big.bin")
    os.chmod(path, 0o644)  # dvc may leave it read-only (cache link type)
    with open(path, "r+b") as handle:
        handle.seek(os.path.getsize(path) // 2)
        handle.write(os.urandom(1 << 20))
    result["resnapshot_1mb_s"] = timed([arguments.dvc, "add", "-q", "big.bin"], repo)
    result["resnapshot_1mb_new_bytes"] = folder_bytes(os.path.join(repo, ".dvc", "cache")) - before
    shutil.rmtree(repo, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
