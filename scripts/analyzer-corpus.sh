#!/usr/bin/env bash
# Precision and recall of VG0001-VG0004 on the corpus in tests/AnalyzerCorpus (ground truth marked
# in the code, known misses included): runs the corpus test and prints its report.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
dotnet test tests/VolumeGen.Generator.Tests -c Release --filter "FullyQualifiedName~AnalyzerCorpusTests" --nologo -v quiet >/dev/null || status=$?
cat artifacts/analyzer-corpus.md
exit "$status"
