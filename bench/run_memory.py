"""Peak memory of a real `mentiondesk run` replica with the triage model loaded and working.

    .venv/bin/python bench/run_memory.py [--heads models/heads] [--n 3000]

Starts `mentiondesk run` (SQLite, the bundled config with ``triage.model.use: auto``) in its own
process, waits for /readyz, sends --n synthetic mentions through /ingest in batches (so the
encoder and the heads really run), then reads the process's peak resident set (VmHWM) from
/proc. Last line: JSON with ``peak_rss_mb`` and ``classifier``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from triage import synthetic  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm(pid: int, key: str) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{key}:\s+(\d+) kB", text).group(1)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heads", default=os.environ.get("MENTIONDESK_MODEL_DIR", "models/heads"))
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--backend", default="auto", choices=("auto", "onnx", "torch"),
                        help="triage.model.backend of the replica")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="md-mem-"))
    example = subprocess.run([sys.executable, "-m", "bot.app.cli.main", "config", "example"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
    config = work / "config.yaml"
    config.write_text(example.replace("    use: rules", f"    use: auto\n    backend: {args.backend}", 1),
                      encoding="utf-8")
    port = free_port()
    env = {**os.environ, "MENTIONDESK_MODEL_DIR": str(Path(args.heads).resolve()), "HF_HUB_OFFLINE": "1"}
    for secret in ("SLACK_BOT_TOKEN", "DISCORD_BOT_TOKEN", "X_BEARER_TOKEN"):
        env.pop(secret, None)
    log = (work / "run.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "bot.app.cli.main", "run", "--config", str(config), "--port", str(port),
                             "--database-url", f"sqlite:///{work / 'md.db'}"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
        deadline = time.time() + 180
        while True:
            try:
                if client.get("/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise SystemExit(f"mentiondesk run did not become ready; see {work / 'run.log'}")
            time.sleep(0.5)
        after_start = vm(proc.pid, "VmRSS")
        mentions = list(synthetic(args.n, seed=11))
        start = time.perf_counter()
        for i in range(0, len(mentions), 200):
            response = client.post("/ingest", json=mentions[i:i + 200])
            response.raise_for_status()
        seconds = time.perf_counter() - start
        peak = vm(proc.pid, "VmHWM")
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
    text = (work / "run.log").read_text(errors="replace")
    found = re.search(r"; classifier (.+)$", text, re.MULTILINE)
    classifier = found.group(1).strip() if found else "unknown (see the log)"
    print(f"classifier: {classifier}")
    print(f"RSS after start-up {after_start:.0f} MB; peak {peak:.0f} MB after {args.n:,} mentions "
          f"({args.n / seconds:,.0f}/s through /ingest)")
    print(json.dumps({"peak_rss_mb": round(peak, 1), "rss_after_start_mb": round(after_start, 1),
                      "ingest_per_s": round(args.n / seconds, 1), "classifier": classifier}))


if __name__ == "__main__":
    main()
