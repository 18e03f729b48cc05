# Convenience targets; the scripts they call are what the README documents.
.PHONY: demo test bench build reliability

# What `contribtrack version` and contribtrack_build_info report; without
# these, the binary's own build information (devel, unknown, when built
# with -buildvcs=false).
VERSION ?= $(shell git describe --tags --dirty 2>/dev/null || echo devel)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -X contribtrack/internal/cli.version=$(VERSION) -X contribtrack/internal/cli.commit=$(COMMIT) -X contribtrack/internal/cli.date=$(DATE)

build:
	go build -ldflags "$(LDFLAGS)" -o bin/contribtrack ./cmd/contribtrack
	go build -o bin/github-testserver ./cmd/github-testserver

demo:
	scripts/demo.sh

test:
	scripts/test.sh

# The fault suite (issue 16): kill -9, faults, fuzzing, load, secrets; prints
# a table of what held (README, "Reliability").
reliability:
	scripts/reliability.sh

# Import speed against zcat | clickhouse-client, decoder speed against
# encoding/json, and the API collector's rate-limit cost against a REST-only
# crawl; each prints its own baseline and ratio.
bench:
	go test -run '^$$' -bench . -benchtime 3x ./internal/gharchive/
	go test -run '^$$' -bench CollectCost -benchtime 1x ./internal/collector/
	go test -run '^$$' -bench InsertAcrossYears -benchtime 20x ./internal/store/
	go test -run '^$$' -bench Report10M -benchtime 3x -timeout 60m ./internal/report/
	go test -run '^$$' -bench ImportClusterVsOneNode -benchtime 5x ./internal/gharchive/
	go test -run '^$$' -bench LeaderboardClusterVsOneNode -benchtime 20x -timeout 60m ./internal/store/
	go test -run '^$$' -bench 'Leaderboard10M$$' -benchtime 20x -timeout 60m ./internal/store/
	go test -run '^$$' -bench LeaderboardHTTP -benchtime 20x -timeout 60m ./internal/serve/
	go test -run '^$$' -bench APIUnderLoad -benchtime 1x -timeout 30m ./internal/serve/
	go test -run '^$$' -bench LeaderboardPanel10M -benchtime 5x -timeout 60m ./dashboards/
	go test -run '^$$' -bench BotsByBehaviour -benchtime 1x ./internal/bots/
