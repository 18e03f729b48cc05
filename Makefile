# Convenience targets; the scripts they call are what the README documents.
.PHONY: demo test bench build

build:
	go build -o bin/contribtrack ./cmd/contribtrack

demo:
	scripts/demo.sh

test:
	scripts/test.sh

# Import speed against zcat | clickhouse-client, and decoder speed against
# encoding/json; each prints its own baseline and ratio.
bench:
	go test -run '^$$' -bench . -benchtime 3x ./internal/gharchive/
