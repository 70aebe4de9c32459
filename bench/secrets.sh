#!/usr/bin/env bash
# The secret gate's comparison alone (`secgate secrets` against `detect-secrets scan --all-files`,
# and gitleaks when installed), now part of bench/run.sh: prints its report, writes nothing.
# Usage: bash bench/secrets.sh [RUNS]   (default 5 runs per command and tree)
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/run.sh" "${1:-5}" secrets
