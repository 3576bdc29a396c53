# ELVcare — make help lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ADDR ?= 127.0.0.1:8080
DATA ?= ./data
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
GO_TEST_FLAGS ?=
# encoding/json's v2 implementation decodes and encodes the write path's
# records about half again as fast; the API is unchanged.
export GOEXPERIMENT := jsonv2

PWA_STAMP := pwa/node_modules/.install-stamp

.PHONY: help run build build-go pwa test test-go test-pwa e2e lint bench fuzz deps-test clean api

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: build ## build everything and serve on ./data with demo data (URL and demo logins are printed)
	./bin/elvcare serve --addr $(ADDR) --data $(DATA) --demo

build: pwa build-go ## build the PWA, then bin/elvcare with it embedded

build-go:
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o bin/elvcare ./cmd/elvcare

$(PWA_STAMP): pwa/package.json pwa/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 or newer"; exit 1; }
	cd pwa && npm ci --no-audit --no-fund
	@touch $@

pwa: $(PWA_STAMP) ## build the PWA into pwa/dist
	cd pwa && npm run build

api: ## regenerate the PWA's API types from the server's OpenAPI document
	go run ./cmd/elvcare openapi > pwa/src/api/openapi.json
	cd pwa && npm run gen:api

test: deps-test build test-go test-pwa e2e ## every test: Go (-race), the PWA's unit tests, lint, type check, browser end-to-end
	@echo "make test: all passed"

test-go:
	go vet ./...
	go test -race -count=1 $(GO_TEST_FLAGS) ./...

test-pwa: $(PWA_STAMP)
	cd pwa && npm run lint && npm run typecheck && npm test

e2e: build ## the browser end-to-end tests in Debian's Chromium
	cd pwa && ELVCARE_BIN=$(CURDIR)/bin/elvcare npm run e2e

deps-test: ## install what the tests need and a fresh machine lacks (chromium, a CJK font, poppler)
	@./scripts/install-test-deps.sh

bench: deps-test build ## print the benchmark figures as 'bench: NAME VALUE UNIT'
	go run ./cmd/elvbench
	cd pwa && ELVCARE_BIN=$(CURDIR)/bin/elvcare npm run --silent bench

fuzz: ## run each fuzz target for 60 s
	./scripts/fuzz.sh 60s

clean: ## remove build output (not ./data)
	rm -rf bin pwa/dist/assets pwa/dist/*.html pwa/dist/*.js pwa/dist/*.webmanifest
