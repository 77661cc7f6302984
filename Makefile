# The two commands of the README, and the steps they are made of.
# Each target first installs whatever is missing (scripts/setup.sh, idempotent).
.PHONY: serve test setup dist

PORT ?= 8080

## Serve the app on http://127.0.0.1:$(PORT) (rebuilds on change).
serve: setup
	scripts/console-api.sh
	PATH="$(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$$PATH" trunk serve --port $(PORT)

## Run every check and test layer.
test: setup
	scripts/test.sh

## Install the tools that are missing.
setup:
	scripts/setup.sh

## Build the static release into dist/ (serve it with any static file server).
dist: setup
	scripts/build.sh
