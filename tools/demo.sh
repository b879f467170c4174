#!/usr/bin/env bash
# Set everything up on a fresh machine and run the main job: translate the
# sample article with the curated glossary into per-locale catalogs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup.sh
TG=.venv/bin/termguard
ARTICLE=samples/nato-armenia-azerbaijan.txt
mkdir -p out

GLOSSARY=()  # the curated glossary
if $TG models available >/dev/null 2>&1; then
    LOCALES=de,fr,es,pt_BR,ru,tr,az
    for pair in de fr es pb ru tr az; do
        $TG models list --json | grep -q "\"to\": \"$pair\"" || $TG models install en "$pair"
    done
else
    # The second test model: it reorders, inflects, prefers the wrong synonyms and
    # drops terms (tests/model/README-qtr.md), so the ladder has work to do.
    echo "demo: the Argos package index cannot be reached; running on the bundled test model (en->qtr)" >&2
    LOCALES=qtr
    # The curated concepts rendered in the test language (tools/make_qtr_glossary.py).
    GLOSSARY=(--glossary tests/model/glossary-qtr.yaml)
    export ARGOS_PACKAGES_DIR="$PWD/.termguard/packages"
    $TG models install-file tests/model/translate-en_qtr-1_0.argosmodel >/dev/null
fi

$TG models list
# Catalogs of this run go to out/locales (locales/ holds the committed sample),
# so a first run decodes everything and a second run decodes nothing.
time $TG translate "$ARTICLE" --to "$LOCALES" "${GLOSSARY[@]}" --catalog-dir out/locales \
    -o "out/nato-armenia-azerbaijan.{locale}.txt"
$TG catalog status --catalog-dir out/locales
head -n 5 out/nato-armenia-azerbaijan.*.txt
if [ "$LOCALES" = qtr ]; then
    # The ladder at work: the model's own output against what was published.
    echo "--- the enforcement ladder, sentence by sentence (model alone / published / step per term)"
    .venv/bin/python tools/ladder_side_by_side.py "$ARTICLE" --to qtr --glossary tests/model/glossary-qtr.yaml --lines 5
fi
