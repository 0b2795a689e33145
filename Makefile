# Developer shortcuts; CI runs .ci/run.
GO ?= go
FUZZTIME ?= 10m

.PHONY: build test lint fuzz corpus bench conformance

build:
	$(GO) build -o strata ./cmd/strata

test:
	$(GO) test ./...

lint:
	gofmt -l . | (! grep .)
	$(GO) vet ./...
	golangci-lint run ./...

# Long fuzzing sessions (CI runs each target for a few seconds).
fuzz:
	bash .ci/lib/fuzz.sh ./rules FuzzLint $(FUZZTIME)
	bash .ci/lib/fuzz.sh ./internal/dockerfile/parser FuzzSameAsBuildKit $(FUZZTIME)
	bash .ci/lib/fuzz.sh ./analyze/layer FuzzReadBlob $(FUZZTIME)
	bash .ci/lib/fuzz.sh ./analyze/layer FuzzSkim $(FUZZTIME)
	bash .ci/lib/fuzz.sh ./analyze/source FuzzArchive $(FUZZTIME)
	bash .ci/lib/fuzz.sh ./analyze FuzzStack $(FUZZTIME)
	bash .ci/lib/fuzz.sh ./lint/report FuzzJSONMatchesEncodingJSON $(FUZZTIME)

# Lint the whole shared corpus with every rule (no panic, no exit 2) and time it.
corpus: build
	$(GO) test ./rules ./lint ./internal/dockerfile/parser -run 'Corpus' -count=1 -v | grep -E '^(---|ok|FAIL)'
	time ./strata lint --format json ../shared/corpus/files > /dev/null; test $$? -le 1

bench:
	$(GO) test ./rules ./internal/dockerfile/parser -run '^$$' -bench . -benchtime 5x

conformance: build
	python3 ../shared/conformance/hadolint/run.py --strata ./strata
	python3 ../shared/conformance/buildkit/run.py --strata ./strata
