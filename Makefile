# Everyday commands. Each target is one line, and the README shows the same lines.
# STACK picks Pulumi.<STACK>.yaml: make plan STACK=prod.
STACK ?= dev
REGION ?= japaneast
BASE ?= base-plan.json
# PULUMI_FLAGS passes extra flags to pulumi up/destroy, e.g. --yes in CI.
PULUMI_FLAGS ?=

.PHONY: test plan cost-diff preflight wake preview up destroy prices image-digest measure

# Every check CI runs (vet, unit and resource-graph tests, manifests, image tests, lint).
test:
	.ci/test

# What STACK would create, its monthly cost and its Kubernetes manifests; no Azure access.
plan:
	go run ./cmd/plan -stack $(STACK) -out plan-$(STACK).json -manifests manifests/$(STACK)

# The monthly cost difference between another plan (BASE) and STACK's.
cost-diff:
	go run ./cmd/plan -stack $(STACK) -quiet -base $(BASE)

# Asks Azure, read-only, whether the subscription takes STACK (versions, VM sizes, quota, MySQL,
# names, permissions, providers, locks, policies); exits 1 on a FAIL. Needs az login or ARM_*.
preflight:
	go run ./cmd/preflight -stack $(STACK)

# Starts STACK if its office-hours schedule has stopped it (runs the schedule's start workflow and
# waits for the cluster); a stack without a schedule or a cluster is left alone.
wake:
	go run ./cmd/wake -stack $(STACK)

# pulumi preview of STACK against Azure, with the full diff.
preview:
	pulumi stack select --create $(STACK) && pulumi preview --stack $(STACK) --diff

# Refuses a bad config or a stack over its cost ceiling offline, then what the subscription would
# refuse (preflight), starts what the office-hours schedule stopped (wake), then runs pulumi up.
# -strict checks the real credentials (no stand-ins; needs PULUMI_CONFIG_PASSPHRASE), as the
# deploy itself does.
up:
	go run ./cmd/plan -stack $(STACK) -quiet -strict && go run ./cmd/preflight -stack $(STACK) && go run ./cmd/wake -stack $(STACK) && pulumi stack select --create $(STACK) && pulumi up --stack $(STACK) $(PULUMI_FLAGS)

# Tears STACK down; prod refuses (its data is protected: see README, "Tearing down").
destroy:
	pulumi destroy --stack $(STACK) $(PULUMI_FLAGS)

# Refreshes cost/prices/$(REGION).json from the Azure Retail Prices API (public, no login).
prices:
	go run ./cmd/prices -region $(REGION)

# Pins the WordPress base image by digest (needs a machine that reaches Docker Hub).
image-digest:
	images/wordpress/refresh-base-digest.sh

# Operations on the share and page times per view (stock, our settings, user pods, cache hits,
# after a change, after a start): on this disk, then over real NFS in the qemu guest (root).
measure:
	tests/measure.sh
