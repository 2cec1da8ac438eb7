# syntax=docker/dockerfile:1
# LEOC container image: a static leoc, CA certificates, time-zone data and
# a passwd entry for the non-root user, nothing else (no shell, no curl).
#   docker build -t leoc:$(git describe --always) --build-arg VERSION=$(git describe --always) .
# The final stage is the tree deploy/image-rootfs.sh assembles; `make
# image-rootfs` builds the same tree without Docker and internal/deploytest
# starts leoc from it as the non-root user. See docs/deploy.md.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X leoc/internal/cli.Version=${VERSION}" -o /out/leoc ./cmd/leoc
RUN deploy/image-rootfs.sh /out/leoc /rootfs

FROM scratch
COPY --from=build /rootfs/ /
USER 10001:10001
ENV LEOC_ENV=production \
    LEOC_ADDR=:5002 \
    LEOC_DATA_DIR=/data \
    TMPDIR=/tmp
VOLUME ["/data"]
EXPOSE 5002
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/usr/local/bin/leoc", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/leoc"]
CMD ["serve"]
