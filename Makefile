# One-command setup, run, test and benchmark. Everything installs into .venv/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint dist bench bench-gui bench-meeting bench-pack bench-plan bench-campaign bench-deals bench-scorecard bench-review bench-calendar bench-vcard bench-contact-import bench-worklist-gui bench-sync bench-sync-many bench-load bench-encryption bench-encrypted-start bench-frozen clean

$(STAMP): pyproject.toml
	@bash .ci/system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/companion $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests packaging
	$(BIN)/ruff format --check src tests packaging
	$(BIN)/lint-imports

# The suite on both cores, a file's tests together; schemathesis gives its cases one node id per route,
# which xdist would run once, so they run on their own after it.
test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q --durations=25 -n 2 --dist loadfile --ignore tests/sync/test_openapi.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/sync/test_openapi.py

# The frozen app, a reproducible .tar.gz, a .deb, SHA256SUMS and its signature in dist/ (packaging/README.md).
# KEY=FILE (or COMPANION_SIGNING_KEY) signs; SITE_CONFIG=FILE presets the .deb's /etc/xdg/companion/config.toml.
dist: $(STAMP)
	$(BIN)/python packaging/build_dist.py $(if $(KEY),--key $(KEY)) $(if $(GPG_KEY),--gpg-key $(GPG_KEY)) $(if $(SITE_CONFIG),--site-config $(SITE_CONFIG))

bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_workspace $(ARGS)

bench-gui: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_gui $(ARGS)

bench-meeting: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks.bench_meeting $(ARGS)

bench-pack: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks.bench_pack $(ARGS)

bench-plan: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks.bench_plan $(ARGS)

bench-campaign: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_campaign $(ARGS)

bench-deals: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_deals $(ARGS)

bench-scorecard: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_scorecard $(ARGS)

bench-review: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks.bench_review $(ARGS)

bench-calendar: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_calendar $(ARGS)

bench-vcard: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_vcard $(ARGS)

bench-contact-import: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_contact_import $(ARGS)

bench-worklist-gui: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.benchmarks.bench_worklist_gui $(ARGS)

bench-sync: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_sync $(ARGS)

bench-sync-many: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_sync_many $(ARGS)

bench-load: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_load $(ARGS)

bench-encryption: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_encryption $(ARGS)

bench-encrypted-start: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_encrypted_start $(ARGS)

bench-frozen: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_frozen $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
