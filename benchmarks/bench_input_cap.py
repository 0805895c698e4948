"""What the --max-input-size default protects: peak memory to clean one large document, and what refusing a
gzip bomb costs.

    python benchmarks/bench_input_cap.py            # documents of 8 and 32 MiB, a bomb expanding to 1 GiB
    python benchmarks/bench_input_cap.py --sizes 8 32 64 --bomb 2048

Each run is the installed command in a fresh child process (`cleaner clean -j1 --no-detect-lang`), its
peak RSS read from the kernel (wait4's rusage of that child). The documents repeat the seeds' text, so rules
match as they do on real articles. Files go to benchmarks/out/ (ignored by git).
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
MIB = 1 << 20


def run(args: list[str]) -> tuple[float, float, list[str]]:
    """Seconds, peak RSS in MiB, and the stderr lines of one `cleaner` run in a fresh process."""
    errors = OUT / "stderr.txt"
    start = time.perf_counter()
    with errors.open("w") as stderr:
        child = subprocess.Popen([sys.executable, "-m", "cleaner", *args], stdout=subprocess.DEVNULL, stderr=stderr)
        _, _, usage = os.wait4(child.pid, 0)  # this child's own peak, in KiB
    child.returncode = 0  # reaped above
    return time.perf_counter() - start, usage.ru_maxrss / 1024, errors.read_text().splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[8, 32], help="document sizes in MiB")
    parser.add_argument("--bomb", type=int, default=1024, help="MiB the gzip bomb expands to")
    options = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    seeds = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))

    small = OUT / "cap-small.txt"
    small.write_text(seeds[:4000], encoding="utf-8")
    seconds, base, _ = run(["clean", "-j1", "-q", "--no-detect-lang", str(small)])
    print(f"baseline (a 4 KB document): {seconds:.2f} s, peak RSS {base:.0f} MiB")
    for size in sorted(options.sizes):
        path = OUT / f"cap-{size}mib.txt"
        repeat = size * MIB // len(seeds.encode()) + 1
        path.write_bytes((seeds * repeat).encode()[: size * MIB])
        seconds, peak, _ = run(["clean", "-j1", "-q", "--no-detect-lang", str(path)])
        print(
            f"one {size} MiB document: {seconds:.2f} s, peak RSS {peak:.0f} MiB "
            f"({(peak - base) / size:.1f} MiB per MiB of input above the baseline)"
        )

    bomb = OUT / f"cap-bomb-{options.bomb}mib.txt.gz"
    if not bomb.exists():
        with gzip.open(bomb, "wb", compresslevel=6) as out:
            block = b"\0" * MIB
            for _ in range(options.bomb):
                out.write(block)
    seconds, peak, lines = run(["clean", "-j1", "--no-detect-lang", str(bomb)])
    print(
        f"a {bomb.stat().st_size / MIB:.1f} MiB gzip expanding to {options.bomb} MiB, default cap: "
        f"refused in {seconds:.2f} s, peak RSS {peak:.0f} MiB"
    )
    print("\n".join(f"  {line}" for line in lines if line.startswith("error:")))


if __name__ == "__main__":
    main()
