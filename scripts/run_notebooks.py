"""Execute notebooks headlessly through the course's TypeScript kernel and report each one.

Usage (normally through `npm run notebooks -- [paths or globs]`, which sets up the environment):
    python scripts/run_notebooks.py [--timeout S] [--jobs N] [--out DIR] [paths ...]

Every notebook gets a fresh kernel (the `tslab` kernelspec: scripts/kernel/course-kernel.js, tslab
with errors that escape a cell reported) and a time limit for the whole notebook, in a process of
its own. The cells run in order, one at a time, and the run of a notebook stops at its first
failing cell: the cells after it are "not run" and never count as passed. (tslab aborts requests
that reach it within ~200 ms of an error and runs the ones after: sending more cells after an
error made the count depend on timing.) A notebook fails on:
  - an error reply from the kernel (tslab replies status "error" with no traceback and prints the
    message, TypeScript compile errors included, to stderr: we show that stderr text);
  - an error in work a cell started that failed after the cell finished (an un-awaited promise,
    a throw in a timer): the kernel fails the cell running at that moment, or the next one, with
    a line naming the cell that started the work, and this runner reports it at that cell. After
    the last cell the runner sends one more request, which waits until the notebook's pending
    work (timers, un-awaited loops) is done, so an error after the last cell fails the run too;
  - an aborted cell, any TypeScript diagnostic printed to stderr, whatever the reply said;
  - the time limit; a kernel that dies; a file that is not a notebook (not valid JSON: the line
    and column are named).
A learner notebook (generated from solutions/) stops at its first unsolved exercise: once a cell
marked {"course": {"stub": true}} has run, an error saying "not implemented yet" ends the run
there and counts as the expected stop, not a failure (the rest is the learner's work to do).
A cell can also declare an expected failure itself: {"course": {"expect_error": "substring"}};
the run stops there and passes only if the message matched.

A notebook is named by its path: relative to the project when inside it, else absolute. Executed
copies go to build/executed/ under that same path (notebooks from outside the project under
build/executed/external/<their absolute path>), written atomically; the source notebooks are never
modified. Prints one line per notebook and a closing `notebooks: N passed, M failed` line; exits
1 if any failed. Ctrl-C (SIGINT, or SIGTERM) stops the run: the kernels are shut down, the
notebooks not finished are named, and the exit code is 130.

With no paths (the default), a learner copy whose cells are the same as its solution's (a notebook
with no exercises: the welcome, the projects) is not run a second time: a `SAME` line says which
solution's run stands for it, and it is not counted. `--copies-only` (what `npm test` runs) runs
the learner copies in notebooks/ that differ from their solutions, and nothing else: `npm test`'s
browser stage runs every solution, complete, in JupyterLab, with the same request after the last
cell, so running them here too would run each one twice.
"""
from __future__ import annotations

import argparse
import dataclasses
import glob
import json
import os
import re
import signal
import subprocess
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
# How the course kernel names the cell whose work failed after it finished (scripts/kernel/course-kernel.js).
ESCAPED = re.compile(r"^✘ cell \[(\d+)\] started work that failed (after the cell finished|while the cell ran): (.*)$", re.MULTILINE)
ESCAPED_UNKNOWN = re.compile(r"^✘ work started outside any known cell failed: (.*)$", re.MULTILINE)
DID_NOT_RUN = "This cell did not run"
# The request after the last cell: waits for the notebook's pending work (at most SETTLE_MAX s),
# ending SETTLE_MARGIN s before the notebook's limit: the kernel compiles that request before the
# wait starts, and its reply must arrive before the limit, or the run says "timeout" instead of
# naming the work still pending (1 s was not enough on a busy machine).
SETTLE_MAX = 60.0
SETTLE_MARGIN = 4.0
NO_COURSE_KERNEL = "course-runner: this kernel has no __courseKernel__"
# Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED_EXIT = 130


def probe_source(seconds: float) -> str:
    # tslab sees a top-level await only as `await name...` (not inside a block, not `await (...)`).
    kernel = "(globalThis as any).__courseKernel__"
    return f'await Promise.resolve({kernel} ? {kernel}.settle({max(1000, int(seconds * 1000))}) : console.log("{NO_COURSE_KERNEL}"));'


@dataclass
class CellProblem:
    index: int  # 1-based position in the notebook, markdown included (what a reader counts); 0: the notebook
    kind: str  # "error", "abort", "not-run", "diagnostic", "timeout", "expected-error-mismatch", "file"
    message: str
    where: str | None = None  # instead of "cell N": e.g. "line 3, column 7" for a broken file


@dataclass
class NotebookResult:
    path: str
    cells: int | None  # code cells with source (None: the file could not be read as a notebook)
    executed: int  # code cells that ran with an ok reply
    seconds: float
    problems: list[CellProblem] = field(default_factory=list)
    stopped_at_expected: int | None = None  # cell index of a matched expected error
    interrupted: str | None = None  # "running" or "not started" when Ctrl-C stopped the run

    @property
    def passed(self) -> bool:
        return not self.problems and self.interrupted is None

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @staticmethod
    def from_json(text: str) -> "NotebookResult":
        d = json.loads(text)
        d["problems"] = [CellProblem(**p) for p in d["problems"]]
        return NotebookResult(**d)


def display_path(path: str) -> str:
    """A notebook's name: its path relative to the project when inside it, else its absolute path."""
    path = os.path.abspath(path)
    try:
        rel = os.path.relpath(path, ROOT)
    except ValueError:  # another drive (Windows)
        return path
    return path if rel == ".." or rel.startswith(".." + os.sep) else rel


def executed_path(path: str, out_dir: str) -> str:
    """Where the executed copy goes: the notebook's own path mirrored under out_dir, so two never collide."""
    name = display_path(path)
    if os.path.isabs(name):
        drive, rest = os.path.splitdrive(name)
        name = os.path.join("external", drive.replace(":", ""), rest.lstrip("/\\"))
    return os.path.join(out_dir, name)


def stderr_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr")


def stdout_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stdout")


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


class StopAtFailure(Exception):
    """Raised from the cell hook at the first failing cell: nothing after it is sent to the kernel."""

    def __init__(self, cell_index: int):
        super().__init__(cell_index)
        self.cell_index = cell_index


class NotebookFileError(Exception):
    """The file is not a notebook we can run; `where` is e.g. "line 3, column 7"."""

    def __init__(self, message: str, where: str | None = None):
        super().__init__(message)
        self.where = where


def first_line(text: str, limit: int = 300) -> str:
    text = text.strip()
    lines = [l for l in text.splitlines() if l.strip()]
    # Prefer the course's feedback line, then the line that names the error ("TypeError: ...", "1:7 - ...").
    for l in lines:
        if l.strip().startswith("✘"):
            return l.strip()[:limit]
    for l in lines:
        if TS_DIAGNOSTIC.match(l) or re.match(r"^\w*Error\b", l.strip()):
            return l.strip()[:limit]
    return (lines[0] if lines else "(no message: the kernel replied 'error' with nothing on stderr)")[:limit]


def read_notebook(path: str):
    """The notebook, or NotebookFileError naming what is wrong with the file (for JSON: line and column)."""
    import nbformat

    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except UnicodeDecodeError as e:
        raise NotebookFileError(f"not UTF-8 text (byte {e.start} cannot be decoded): a notebook is a JSON text file") from None
    except OSError as e:
        raise NotebookFileError(f"cannot be read: {e.strerror}") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as e:
        body = text.rstrip()
        if not body:
            raise NotebookFileError("the file is empty: a notebook is a JSON text file") from None
        if not body.endswith("}"):  # a notebook's JSON always ends with "}": this one stops early
            last = body.rsplit("\n", 1)[-1]
            raise NotebookFileError(
                "not valid JSON: the file ends in the middle of the notebook (cut short by an interrupted save or copy?)",
                where=f"line {body.count(chr(10)) + 1}, column {len(last)}",
            ) from None
        msg = e.msg[:1].lower() + e.msg[1:]
        raise NotebookFileError(f"not valid JSON: {msg} (a hand edit or a merge conflict?)", where=f"line {e.lineno}, column {e.colno}") from None
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as e:  # valid JSON, but not a notebook nbformat can read
        raise NotebookFileError(f"valid JSON, but not a notebook: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from None


def attribute_escaped(text: str, at: int | None, index_of_count: dict[int, int]) -> tuple[list[CellProblem], bool]:
    """The problems the course kernel's ✘ lines name in `text` (stderr of the cell at index `at`, or
    of the request after the last cell when `at` is None). Returns (problems, whether any were found)."""
    problems: list[CellProblem] = []
    reported = "after the last cell" if at is None else f"reported when cell {at + 1} ran"
    for m in ESCAPED.finditer(text):
        count, when, what = int(m.group(1)), m.group(2), m.group(3).strip()
        origin = index_of_count.get(count)
        if origin is None:  # a count this run did not see (cannot happen in a fresh kernel): keep the kernel's words
            problems.append(CellProblem(0 if at is None else at + 1, "error", m.group(0).strip()))
        elif when == "while the cell ran" or origin == at:
            problems.append(CellProblem(origin + 1, "error", f"work this cell started failed while the cell ran: {what}"))
        else:
            problems.append(CellProblem(origin + 1, "error", f"work this cell started failed after the cell finished ({reported}): {what}"))
    for m in ESCAPED_UNKNOWN.finditer(text):
        problems.append(CellProblem(0 if at is None else at + 1, "error", f"work started outside any known cell failed ({reported}): {m.group(1).strip()}"))
    return problems, bool(problems)


def own_error_text(text: str) -> str:
    """stderr without the course kernel's report of escaped errors (its ✘ lines, its pointers, and the
    first line of each escaped error printed in full): what is left is the cell's own output."""
    escaped = {m.group(3).strip() for m in ESCAPED.finditer(text)} | {m.group(1).strip() for m in ESCAPED_UNKNOWN.finditer(text)}
    keep = []
    for line in text.splitlines():
        if ESCAPED.match(line) or ESCAPED_UNKNOWN.match(line) or line.startswith("The error is shown in full under") or line.strip() in escaped:
            continue
        keep.append(line)
    return "\n".join(keep)


def execute(path: str, timeout: float, out_dir: str) -> NotebookResult:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    rel = display_path(path)
    try:
        nb = read_notebook(path)
    except NotebookFileError as e:
        return NotebookResult(rel, None, 0, 0.0, [CellProblem(0, "file", str(e), where=e.where)])
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    declared = nb.metadata.get("kernelspec", {}).get("name")
    result = NotebookResult(rel, len(code), 0, 0.0)
    if declared != KERNEL:
        result.problems.append(CellProblem(0, "error", f"declares kernelspec {declared!r}; course notebooks must use {KERNEL!r}"))
        return result

    # One more request after the last cell: it waits for the notebook's pending work (its source
    # is set when it is sent, from the time left). Removed again before the copy is saved.
    probe = nbformat.v4.new_code_cell("// (set when sent)")
    nb.cells.append(probe)
    probe_index = len(nb.cells) - 1

    replies: dict[int, dict] = {}
    deadline = time.monotonic() + timeout
    stub_seen = False
    running: list[int] = []  # the cell sent last (for a timeout or a dead kernel)

    def on_cell_execute(cell, cell_index):
        running[:] = [cell_index]
        if cell_index == probe_index:
            cell.source = probe_source(min(SETTLE_MAX, deadline - time.monotonic() - SETTLE_MARGIN))

    def on_cell_executed(cell, cell_index, execute_reply):
        # Stop where the notebook's own work is meant to stop (what follows is the learner's to
        # do), or at the first failure: a cell sent after an error may or may not be aborted.
        nonlocal stub_seen
        content = execute_reply.get("content", {})
        replies[cell_index] = content
        if cell_index == probe_index:
            return
        stub_seen = stub_seen or is_stub(cell)
        status = content.get("status")
        if status == "ok":
            return
        message = stderr_text(cell) or content.get("evalue", "")
        if status == "error" and (expected_error(cell) is not None or (stub_seen and NOT_IMPLEMENTED in message)):
            raise ExpectedStop(cell_index)
        raise StopAtFailure(cell_index)

    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        allow_errors=True,
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        on_cell_execute=on_cell_execute,
        on_cell_executed=on_cell_executed,
        resources={"metadata": {"path": os.path.dirname(path)}},
    )
    start = time.monotonic()
    stop_at = None
    failed_at = None  # the cell where the run stopped on a failure: the cells after it were not run
    try:
        client.execute()
    except ExpectedStop as stop:
        stop_at = stop.cell_index
    except StopAtFailure as stop:
        failed_at = stop.cell_index
    except CellTimeoutError:
        failed_at = running[0] if running else None
        where = failed_at + 1 if failed_at is not None and failed_at != probe_index else 0
        what = "while running this cell" if where else "while waiting for the work the cells started to finish"
        result.problems.append(CellProblem(where, "timeout", f"notebook time limit of {timeout:.0f} s reached {what}"))
    except DeadKernelError as e:
        failed_at = running[0] if running else None
        where = failed_at + 1 if failed_at is not None and failed_at != probe_index else 0
        result.problems.append(CellProblem(where, "error", f"the kernel died: {e}"))
    result.seconds = time.monotonic() - start

    index_of_count = {r["execution_count"]: i for i, r in replies.items() if isinstance(r.get("execution_count"), int)}

    # An expect_error cell the run never reached as an error is a failure too.
    marked = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and expected_error(c)), None)
    if marked is not None and stop_at != marked and marked in replies:
        got = f"status {replies[marked].get('status')!r} (no error)"
        result.problems.append(CellProblem(marked + 1, "expected-error-mismatch", f"expected an error containing {expected_error(nb.cells[marked])!r}, got {got}"))

    for i in code:
        cell = nb.cells[i]
        reply = replies.get(i)
        if reply is None:
            if failed_at is not None and i > failed_at:
                result.problems.append(CellProblem(i + 1, "not-run", "not run"))
            continue  # not reached after an expected stop
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
            escaped, found = attribute_escaped(err, i, index_of_count)
            result.problems.extend(escaped)
            own = own_error_text(err) if found else err
            if not found or (DID_NOT_RUN not in err and (TS_DIAGNOSTIC.search(own) or re.search(r"^\w*Error\b", own, re.MULTILINE))):
                result.problems.append(CellProblem(i + 1, "error", first_line(own or reply.get("evalue", ""))))
        elif status in ("aborted", "abort"):
            result.problems.append(CellProblem(i + 1, "abort", "aborted by the kernel"))
        elif status != "ok":
            result.problems.append(CellProblem(i + 1, "error", f"unexpected reply status {status!r}"))
        elif TS_DIAGNOSTIC.search(err):
            result.problems.append(CellProblem(i + 1, "diagnostic", first_line(err)))

    # The request after the last cell: errors from work still running then, or work that never ended.
    probe_reply = replies.get(probe_index)
    if probe_reply is not None:
        err = stderr_text(probe)
        if NO_COURSE_KERNEL in stdout_text(probe):
            result.problems.append(CellProblem(0, "error", f"the {KERNEL!r} kernel is not the course kernel (scripts/kernel/course-kernel.js), so errors after a cell finishes go unseen: run `npm run setup`"))
        elif probe_reply.get("status") != "ok":
            escaped, found = attribute_escaped(err, None, index_of_count)
            result.problems.extend(escaped if found else [CellProblem(0, "error", f"after the last cell: {first_line(err)}")])
    nb.cells.pop(probe_index)
    if probe.get("outputs") and probe_reply is not None and probe_reply.get("status") != "ok" and code:
        # Keep what the kernel said after the last cell in the executed copy, under the last code cell.
        nb.cells[code[-1]].setdefault("outputs", []).extend(probe.outputs)
    result.problems.sort(key=lambda p: p.index + (10**9 if p.kind == "not-run" else 0))

    # Keep the executed copy (outputs and all) out of the source tree, written atomically.
    target = executed_path(path, out_dir)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".ipynb.tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.replace(tmp, target)
    return result


def span(indices: list[int]) -> str:
    return f"cell {indices[0]}" if len(indices) == 1 else f"cells {indices[0]}-{indices[-1]}"


def describe(r: NotebookResult) -> list[str]:
    if r.interrupted == "not started":
        return [f"STOP  {r.path}  not started: the run was interrupted"]
    if r.interrupted:
        return [f"STOP  {r.path}  interrupted after {r.seconds:.1f} s: not finished (neither passed nor failed)"]
    lines = []
    verdict = "PASS" if r.passed else "FAIL"
    if r.cells is None:
        what = "not a notebook that can be run" if any(p.kind == "file" for p in r.problems) else "could not be run"
        lines.append(f"{verdict}  {r.path}  {what}")
    else:
        tail = f", stopped at the expected error in cell {r.stopped_at_expected}" if r.stopped_at_expected else ""
        lines.append(f"{verdict}  {r.path}  {r.executed}/{r.cells} code cells ok  {r.seconds:.1f} s{tail}")
    for p in r.problems:
        if p.kind in ("abort", "not-run"):
            continue
        where = p.where or (f"cell {p.index}" if p.index else "notebook")
        kind = "" if p.kind == "file" else f"{p.kind}: "
        lines.append(f"      {r.path} {where}: {kind}{p.message}")
    aborted = [p.index for p in r.problems if p.kind == "abort"]
    if aborted:
        lines.append(f"      {r.path} {span(aborted)}: aborted by the kernel ({len(aborted)} {'cell' if len(aborted) == 1 else 'cells'}: none counts as passed)")
    not_run = [p.index for p in r.problems if p.kind == "not-run"]
    if not_run:
        n = len(not_run)
        lines.append(f"      {r.path} {span(not_run)}: not run ({n} {'cell' if n == 1 else 'cells'} after the failure above: none of them counts as passed)")
    return lines


def cell_sources(path: str):
    """A notebook's cells as (type, source) pairs, or None when it cannot be read."""
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        return [(c.get("cell_type"), "".join(c.get("source", "")) if isinstance(c.get("source"), list) else c.get("source", "")) for c in nb.get("cells", [])]
    except (OSError, ValueError, AttributeError):
        return None


def same_as_solution(path: str) -> str | None:
    """For notebooks/X.ipynb with exactly the cells of solutions/X.ipynb: that solution's path."""
    if os.path.dirname(path) != os.path.join(ROOT, "notebooks"):
        return None
    solution = os.path.join(ROOT, "solutions", os.path.basename(path))
    mine = cell_sources(path)
    return solution if mine is not None and os.path.exists(solution) and mine == cell_sources(solution) else None


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


# --- One notebook per process -----------------------------------------------------------------------
# Each notebook runs in a child process of its own session, so a Ctrl-C at the terminal reaches only
# this parent, which then stops the children in order (nbclient shuts their kernels down on SIGTERM).

RESULT_PREFIX = "@@notebook-result "


# A kernel that dies before it answers kernel_info has run nothing of the notebook: most likely it
# lost one of its five ports to another process between jupyter_client choosing them and the kernel
# binding them (two notebooks start at once, and nbgrader's or the grader's processes run beside
# the tests). One more start is safe and says so on stderr; a kernel that dies twice is reported.
KERNEL_DIED_AT_START = "Kernel died before replying to kernel_info"


def child_main(path: str, timeout: float, out_dir: str) -> int:
    try:
        try:
            r = execute(path, timeout, out_dir)
        except RuntimeError as e:
            if KERNEL_DIED_AT_START not in str(e):
                raise
            print(f"notebooks: {display_path(path)}: the kernel died before it started ({e}); starting another, nothing had run", file=sys.stderr, flush=True)
            r = execute(path, timeout, out_dir)
    except BaseException as e:  # a broken notebook or a stopped run must not end in a traceback
        r = NotebookResult(display_path(path), None, 0, 0.0, [CellProblem(0, "error", f"{type(e).__name__}: {e}")])
    print(RESULT_PREFIX + r.to_json(), flush=True)
    return 0


class Child:
    def __init__(self, path: str, timeout: float, out_dir: str):
        self.path = path
        self.started = time.monotonic()
        self.stdout = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--child", path, "--timeout", str(timeout), "--out", out_dir],
            stdout=self.stdout, stderr=self.stderr, stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True,
        )

    def result(self) -> NotebookResult:
        self.stdout.seek(0)
        self.stderr.seek(0)
        out, err = self.stdout.read(), self.stderr.read()
        self.stdout.close()
        self.stderr.close()
        for line in err.splitlines():  # the child's own notes (a kernel started again) reach the terminal
            if line.startswith("notebooks: "):
                print(line, file=sys.stderr, flush=True)
        for line in reversed(out.splitlines()):
            if line.startswith(RESULT_PREFIX):
                return NotebookResult.from_json(line[len(RESULT_PREFIX):])
        tail = [l for l in err.strip().splitlines() if l.strip()][-1:] or [f"exit code {self.proc.returncode}"]
        return NotebookResult(display_path(self.path), None, 0, time.monotonic() - self.started,
                              [CellProblem(0, "error", f"the runner's process for this notebook ended without a result: {tail[0]}")])


def run_all(paths: list[str], jobs: int, timeout: float, out_dir: str) -> tuple[list[NotebookResult], bool]:
    """Runs the notebooks, at most `jobs` at a time, printing each result in order as soon as it is known."""
    stop = {"at": None}  # when the first SIGINT/SIGTERM came

    def on_signal(signum, frame):
        if stop["at"] is None:
            stop["at"] = time.monotonic()
        # Further signals (npm and the node wrapper forward the terminal's Ctrl-C too) change nothing.

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    results: list[NotebookResult | None] = [None] * len(paths)
    waiting = list(range(len(paths)))
    running: dict[int, Child] = {}
    signalled = False
    printed = 0
    try:
        while waiting or running:
            if stop["at"] is None:
                while waiting and len(running) < jobs:
                    i = waiting.pop(0)
                    running[i] = Child(paths[i], timeout, out_dir)
            else:
                for i in waiting:
                    results[i] = NotebookResult(display_path(paths[i]), None, 0, 0.0, interrupted="not started")
                waiting = []
                if not signalled:
                    for c in running.values():
                        c.interrupted_after = time.monotonic() - c.started
                        c.proc.send_signal(signal.SIGTERM)  # nbclient shuts the kernel down, then the child ends
                    signalled = True
                if time.monotonic() - stop["at"] > 30:
                    for c in running.values():
                        c.proc.kill()
            for i, c in list(running.items()):
                if c.proc.poll() is None:
                    continue
                r = c.result()
                if hasattr(c, "interrupted_after"):
                    r = NotebookResult(display_path(paths[i]), None, 0, c.interrupted_after, interrupted="running")
                results[i] = r
                del running[i]
            while printed < len(results) and results[printed] is not None:
                print("\n".join(describe(results[printed])), flush=True)
                printed += 1
            time.sleep(0.05)
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    return [r for r in results if r is not None], stop["at"] is not None


ARTIFACTS_MARK = ".course-artifacts"  # the same mark as scripts/lib/project.mjs's claimArtifactsDir


def claim_out_dir(out_dir: str) -> str | None:
    """None if executed copies may go to out_dir (under build/, new or empty, or marked by an earlier
    run); else why not: a copy would be written over a notebook of the same name (--out . or my-work)."""
    build = os.path.join(ROOT, "build")
    if os.path.commonpath([build, out_dir]) == build:
        return None
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        return f"--out {out_dir} is a file: give a folder (nothing is overwritten)"
    mark = os.path.join(out_dir, ARTIFACTS_MARK)
    if os.path.isdir(out_dir) and os.listdir(out_dir) and not os.path.exists(mark):
        return (f"--out {out_dir} holds files the runner did not write: give an empty folder, or one under build/ "
                "(nothing is overwritten: an executed copy would replace a notebook of the same name)")
    os.makedirs(out_dir, exist_ok=True)
    if not os.path.exists(mark):
        with open(mark, "w", encoding="utf-8") as f:
            f.write("the notebook runner writes its executed copies here\n")
    return None


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", help="notebooks, folders or globs (default: notebooks/ and solutions/)")
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("NOTEBOOK_TIMEOUT", 300)), help="seconds per notebook (default 300)")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("NOTEBOOK_JOBS", 2)), help="notebooks run at once (default 2: one per core)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "executed"), help="where executed copies go")
    ap.add_argument("--copies-only", action="store_true", help="only the learner copies in notebooks/ that differ from their solutions (npm test: the browser stage runs the solutions)")
    ap.add_argument("--child", help=argparse.SUPPRESS)  # internal: run this one notebook, print its result as JSON
    args = ap.parse_args(argv)
    if args.child:
        return child_main(args.child, args.timeout, args.out)

    refused = claim_out_dir(os.path.abspath(args.out))
    if refused:
        print(f"notebooks: {refused}")
        return 2
    if args.copies_only and args.paths:
        print("notebooks: --copies-only takes no paths (it runs the learner copies in notebooks/)")
        return 2
    paths = collect(["notebooks"] if args.copies_only else args.paths)
    if not paths:
        print("notebooks: nothing to run (no .ipynb found)")
        return 1
    if args.copies_only or not args.paths:
        # A learner copy with its solution's cells is left out: to the browser stage (--copies-only),
        # or to the solution's run in this same run.
        same = {p: same_as_solution(p) for p in paths}
        runs = "which the browser stage runs (not counted here)" if args.copies_only else "that run stands for both (not counted)"
        left = {p for p, solution in same.items() if solution and (args.copies_only or solution in paths)}
        for p in sorted(left):
            print(f"SAME  {display_path(p)}  the same cells as {display_path(same[p])}, {runs}", flush=True)
        paths = [p for p in paths if p not in left]
    print(f"notebooks: executing {len(paths)} notebook(s) through the tslab kernel, {args.jobs} at a time, {args.timeout:.0f} s limit each", flush=True)
    results, interrupted = run_all(paths, max(1, args.jobs), args.timeout, os.path.abspath(args.out))
    done = [r for r in results if not r.interrupted]
    failed = sum(1 for r in done if not r.passed)
    if interrupted:
        unfinished = [r.path for r in results if r.interrupted]
        left = f": not finished: {', '.join(unfinished)}" if unfinished else " (every notebook had finished)"
        print(f"notebooks: {len(done) - failed} passed, {failed} failed; interrupted (Ctrl-C){left}", flush=True)
        return INTERRUPTED_EXIT
    print(f"notebooks: {len(done) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
