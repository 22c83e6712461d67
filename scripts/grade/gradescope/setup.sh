#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu, online).
# It installs Node 20 if the image has no Node 20+, then the course's runtime packages from the
# committed lockfile. Install scripts are skipped: grading needs no native module (the kernel
# runs in process, without Jupyter's zeromq).
set -euo pipefail
cd "$(dirname "$0")"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  apt-get update
  apt-get install -y ca-certificates curl gnupg
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y nodejs
fi
npm ci --omit=dev --ignore-scripts --no-audit --no-fund
node -e 'require("kernel-lib"); require("tslab/dist/executor")' && echo "autograder set-up: ok"
