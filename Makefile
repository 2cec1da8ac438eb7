# Convenience targets; `go build ./cmd/leoc` and `go test ./...` need none of them.
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
ROOTFS  ?= build/rootfs

.PHONY: build static image-rootfs image test

build:
	go build -trimpath -ldflags "-X leoc/internal/cli.Version=$(VERSION)" -o build/leoc ./cmd/leoc

# The static binary the container image runs.
static:
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X leoc/internal/cli.Version=$(VERSION)" -o build/leoc-static ./cmd/leoc

# The container image's root filesystem in $(ROOTFS), without Docker.
image-rootfs: static
	rm -rf $(ROOTFS)
	deploy/image-rootfs.sh build/leoc-static $(ROOTFS)

image:
	docker build --build-arg VERSION=$(VERSION) -t leoc:$(VERSION) .

test:
	go test -race -count=1 ./...
