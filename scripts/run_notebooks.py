"""Execute notebooks headlessly through the real tslab kernel and report each one.

Usage (normally through `npm run notebooks -- [paths or globs]`, which sets up the environment):
    python scripts/run_notebooks.py [--timeout S] [--jobs N] [--out DIR] [paths ...]

Every notebook gets a fresh kernel and a time limit for the whole notebook. A notebook fails on:
  - an error reply from the kernel (tslab replies status "error" with no traceback and prints the
    message, TypeScript compile errors included, to stderr: we show that stderr text);
  - an aborted cell (tslab aborts cells sent within ~200 ms after an error): never a pass;
  - any TypeScript diagnostic printed to stderr, whatever the reply said;
  - the time limit.
A learner notebook (generated from solutions/) stops at its first unsolved exercise: once a cell
marked {"course": {"stub": true}} has run, an error saying "not implemented yet" ends the run
there and counts as the expected stop, not a failure (the rest is the learner's work to do).
A cell can also declare an expected failure itself: {"course": {"expect_error": "substring"}};
the run stops there and passes only if the message matched.

Executed copies go to build/executed/<same relative path>, written atomically; the source
notebooks are never modified. Prints one line per notebook and a closing
`notebooks: N passed, M failed` line; exits 1 if any failed.
"""
from __future__ import annotations

import argparse
import glob
import json
import multiprocessing
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DEFAULT_GLOBS = ["notebooks/*.ipynb", "solutions/*.ipynb"]
KERNEL = "tslab"
# tslab prints compiler diagnostics as "LINE:COL - message"
TS_DIAGNOSTIC = re.compile(r"^\d+:\d+ - ", re.MULTILINE)
# What a stub throws (scripts/generate-notebooks.mjs): a learner notebook may stop there.
NOT_IMPLEMENTED = "not implemented yet"


@dataclass
class CellProblem:
    index: int  # 1-based position in the notebook, markdown included (what a reader counts)
    kind: str  # "error", "abort", "diagnostic", "timeout", "expected-error-mismatch"
    message: str


@dataclass
class NotebookResult:
    path: str
    cells: int  # code cells with source
    executed: int  # code cells that ran with an ok reply
    seconds: float
    problems: list[CellProblem] = field(default_factory=list)
    stopped_at_expected: int | None = None  # cell index of a matched expected error

    @property
    def passed(self) -> bool:
        return not self.problems


def display_path(path: str) -> str:
    """The notebook's path relative to the project; notebooks from elsewhere keep their file name."""
    rel = os.path.relpath(path, ROOT)
    return os.path.join("external", os.path.basename(path)) if rel.startswith("..") else rel


def stderr_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr")


def expected_error(cell) -> str | None:
    return cell.get("metadata", {}).get("course", {}).get("expect_error")


def is_stub(cell) -> bool:
    """Set by scripts/generate-notebooks.mjs on learner cells whose solution became a stub."""
    return bool(cell.get("metadata", {}).get("course", {}).get("stub"))


class ExpectedStop(Exception):
    """Raised from the cell hook to end a run at a learner's first unsolved exercise."""

    def __init__(self, cell_index: int):
        super().__init__(cell_index)
        self.cell_index = cell_index


def first_line(text: str, limit: int = 300) -> str:
    text = text.strip()
    lines = [l for l in text.splitlines() if l.strip()]
    # Prefer the line that names the error ("TypeError: ...", "Error: ...", "1:7 - ...").
    for l in lines:
        if TS_DIAGNOSTIC.match(l) or re.match(r"^\w*Error\b", l.strip()):
            return l.strip()[:limit]
    return (lines[0] if lines else "(no message: the kernel replied 'error' with nothing on stderr)")[:limit]


def execute(path: str, timeout: float, out_dir: str) -> NotebookResult:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    rel = display_path(path)
    nb = nbformat.read(path, as_version=4)
    declared = nb.metadata.get("kernelspec", {}).get("name")
    result = NotebookResult(rel, sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip()), 0, 0.0)
    if declared != KERNEL:
        result.problems.append(CellProblem(0, "error", f"declares kernelspec {declared!r}; course notebooks must use {KERNEL!r}"))
        return result

    replies: dict[int, dict] = {}
    deadline = time.monotonic() + timeout
    stub_seen = False

    def on_cell_executed(cell, cell_index, execute_reply):
        # Stop where the notebook's own work is meant to stop; what follows is the learner's to do.
        nonlocal stub_seen
        content = execute_reply.get("content", {})
        replies[cell_index] = content
        stub_seen = stub_seen or is_stub(cell)
        if content.get("status") != "error":
            return
        message = stderr_text(cell) or content.get("evalue", "")
        if expected_error(cell) is not None or (stub_seen and NOT_IMPLEMENTED in message):
            raise ExpectedStop(cell_index)

    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        allow_errors=True,
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        on_cell_executed=on_cell_executed,
        resources={"metadata": {"path": os.path.dirname(path)}},
    )
    start = time.monotonic()
    stop_at = None
    try:
        client.execute()
    except ExpectedStop as stop:
        stop_at = stop.cell_index
    except CellTimeoutError:
        done = max(replies, default=-1) + 1
        result.problems.append(CellProblem(done + 1, "timeout", f"notebook time limit of {timeout:.0f} s reached while running this cell"))
    except DeadKernelError as e:
        done = max(replies, default=-1) + 1
        result.problems.append(CellProblem(done + 1, "error", f"the kernel died: {e}"))
    result.seconds = time.monotonic() - start

    # An expect_error cell the run never reached as an error is a failure too.
    marked = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and expected_error(c)), None)
    if marked is not None and stop_at != marked and marked in replies:
        got = f"status {replies[marked].get('status')!r} (no error)"
        result.problems.append(CellProblem(marked + 1, "expected-error-mismatch", f"expected an error containing {expected_error(nb.cells[marked])!r}, got {got}"))

    first_failure_seen = False
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        reply = replies.get(i)
        if reply is None:
            continue  # not reached (after a stop, a timeout or a dead kernel)
        status = reply.get("status")
        result.executed += status == "ok"
        err = stderr_text(cell)
        if i == stop_at:
            want = expected_error(cell)
            message = err or reply.get("evalue", "")
            if want is None or want in message:
                result.stopped_at_expected = i + 1
            else:
                result.problems.append(CellProblem(i + 1, "expected-error-mismatch", f"expected an error containing {want!r}, got {first_line(message)}"))
            continue
        if status == "error":
            result.problems.append(CellProblem(i + 1, "error", first_line(err or reply.get("evalue", ""))))
            first_failure_seen = True
        elif status == "aborted" or status == "abort":
            why = "aborted after the error above" if first_failure_seen else "aborted by the kernel"
            result.problems.append(CellProblem(i + 1, "abort", why))
        elif status != "ok":
            result.problems.append(CellProblem(i + 1, "error", f"unexpected reply status {status!r}"))
        elif TS_DIAGNOSTIC.search(err):
            result.problems.append(CellProblem(i + 1, "diagnostic", first_line(err)))

    # Keep the executed copy (outputs and all) out of the source tree, written atomically.
    executed_nb = nb
    target = os.path.join(out_dir, rel)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".ipynb.tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        nbformat.write(executed_nb, f)
    os.replace(tmp, target)
    return result


def describe(r: NotebookResult) -> list[str]:
    abort_cells = [p.index for p in r.problems if p.kind == "abort"]
    lines = []
    verdict = "PASS" if r.passed else "FAIL"
    tail = f", stopped at the expected error in cell {r.stopped_at_expected}" if r.stopped_at_expected else ""
    lines.append(f"{verdict}  {r.path}  {r.executed}/{r.cells} code cells ok  {r.seconds:.1f} s{tail}")
    for p in r.problems:
        if p.kind == "abort":
            continue
        where = f"cell {p.index}" if p.index else "notebook"
        lines.append(f"      {r.path} {where}: {p.kind}: {p.message}")
    if abort_cells:
        span = f"{abort_cells[0]}" if len(abort_cells) == 1 else f"{abort_cells[0]}-{abort_cells[-1]}"
        lines.append(f"      {r.path} cells {span}: aborted ({len(abort_cells)} cells not run because of the error above: none of them counts as passed)")
    return lines


def collect(patterns: list[str]) -> list[str]:
    paths: list[str] = []
    for pattern in patterns or DEFAULT_GLOBS:
        full = pattern if os.path.isabs(pattern) else os.path.join(ROOT, pattern)
        if os.path.isdir(full):
            matches = sorted(glob.glob(os.path.join(full, "*.ipynb")))
        else:
            matches = sorted(glob.glob(full))
        if not matches and pattern in (patterns or []):
            raise SystemExit(f"notebooks: no notebook matches {pattern!r}")
        paths.extend(m for m in matches if ".ipynb_checkpoints" not in m)
    return list(dict.fromkeys(os.path.abspath(p) for p in paths))


def _worker(args):
    path, timeout, out_dir = args
    try:
        return execute(path, timeout, out_dir)
    except Exception as e:  # a broken notebook file must not take the other notebooks down
        return NotebookResult(display_path(path), 0, 0, 0.0, [CellProblem(0, "error", f"{type(e).__name__}: {e}")])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", help="notebooks, folders or globs (default: notebooks/ and solutions/)")
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("NOTEBOOK_TIMEOUT", 300)), help="seconds per notebook (default 300)")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("NOTEBOOK_JOBS", 2)), help="notebooks run at once (default 2: one per core)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "executed"), help="where executed copies go")
    args = ap.parse_args(argv)

    paths = collect(args.paths)
    if not paths:
        print("notebooks: nothing to run (no .ipynb found)")
        return 1
    print(f"notebooks: executing {len(paths)} notebook(s) through the tslab kernel, {args.jobs} at a time, {args.timeout:.0f} s limit each")
    work = [(p, args.timeout, args.out) for p in paths]
    results: list[NotebookResult] = []
    if args.jobs > 1 and len(paths) > 1:
        with multiprocessing.get_context("spawn").Pool(min(args.jobs, len(paths))) as pool:
            for r in pool.imap(_worker, work):
                print("\n".join(describe(r)), flush=True)
                results.append(r)
    else:
        for w in work:
            r = _worker(w)
            print("\n".join(describe(r)), flush=True)
            results.append(r)
    failed = sum(1 for r in results if not r.passed)
    print(f"notebooks: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
