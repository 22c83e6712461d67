# nbgrader's settings for this course's TypeScript notebooks. `npm run grade:nbgrader-course -- DIR`
# copies this file to DIR/nbgrader_config.py, beside DIR/source/ch01 ... ch07, the course kernel's
# kernelspec (DIR/jupyter/kernels/tslab) and DIR/node_modules (a link to the checkout's). Run nbgrader
# in DIR with the course's own Python environment, e.g. /path/to/checkout/.venv/bin/nbgrader autograde ch03
# (grading/nbgrader/README.md says what each step does).
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (nbgrader defines get_config() when it reads this file)

# The course directory is this file's folder (nbgrader reads the file when started there, or given
# --config), so every path nbgrader uses is inside it.
COURSE = Path(__file__).resolve().parent
c.CourseDirectory.root = str(COURSE)

# The course's name in nbgrader's exchange (release_assignment, fetch_assignment, collect): rename freely.
c.CourseDirectory.course_id = "sequence-models"

# generate_assignment replaces each region between `// BEGIN SOLUTION` and `// END SOLUTION` with
# this (nbgrader has stubs for Python, R and others, none for TypeScript): an untouched exercise then
# fails its check with "not implemented yet", as the course's own learner notebooks do.
c.ClearSolutions.code_stub = {"typescript": '// YOUR CODE HERE\nthrow new Error("not implemented yet");'}

# The kernel. Every notebook declares the `tslab` kernelspec; it must run the course kernel
# (scripts/kernel/course-kernel.js), which under nbgrader replies to errors with ename/evalue/
# traceback, runs every cell after an error, charges an error to the cell whose work threw it and
# sends nothing to stderr (stock tslab does none of this, and nbgrader then crashes or misgrades).
# DIR/jupyter/kernels/tslab/kernel.json names this checkout's course kernel; putting DIR/jupyter
# first in Jupyter's search path means no other `tslab` (a user's, a system's) is ever picked.
_kernels = str(COURSE / "jupyter")
if os.environ.get("JUPYTER_PATH", "").split(os.pathsep)[0] != _kernels:
    os.environ["JUPYTER_PATH"] = os.pathsep.join([_kernels, *filter(None, [os.environ.get("JUPYTER_PATH")])])

# kernel-lib and tslab: nothing to set here. Notebooks import "kernel-lib", which Node and the
# TypeScript compiler look up in node_modules of the notebook's folder and of every folder above it;
# every notebook nbgrader runs is inside DIR (source/ch03, autograded/STUDENT/ch03, ...), so
# DIR/node_modules, the link to the checkout's node_modules, is found.

# nbgrader runs `alembic` (a command of its own Python environment) when it makes the gradebook:
# this finds it when nbgrader is started by its full path, without activating the environment.
_bin = os.path.dirname(sys.executable)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_bin, *filter(None, [os.environ.get("PATH")])])

# Time limits (autograde and validate). Starting the kernel includes TypeScript's compiler: seconds,
# more on a busy machine.
c.Execute.startup_timeout = 120
# A cell that runs past its limit is interrupted and gets a CellTimeoutError (an error output: a
# grade cell scores 0) and the notebook goes on. A learner's function that never returns costs the
# limit in its check cell and again in each later cell that calls it, so the limits are generous
# multiples of what solved notebooks take, not more. Measured with all of chapters 01-07 solved,
# on 2 cores running about 13 processes at once: check (grade) cells under 1 s each, other cells
# up to 131 s (chapter 06's training, about 40 s on an idle machine).
CHECK_CELL_SECONDS = 60
CELL_SECONDS = 300
c.Execute.timeout = CELL_SECONDS
c.Execute.timeout_func = lambda cell: CHECK_CELL_SECONDS if cell.metadata.get("nbgrader", {}).get("grade") else CELL_SECONDS
