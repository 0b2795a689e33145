# syntax=docker/dockerfile:1
#
# strata in a container: a static binary on distroless, running as non-root.
#
#   docker build -t strata \
#     --build-arg VERSION="$(git describe --tags --always)" \
#     --build-arg COMMIT="$(git rev-parse HEAD)" .
#   docker run --rm -v "$PWD:/src" strata lint .
#
# strata lint reports nothing on this file; .ci/run checks it.

ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG VERSION=""
ARG COMMIT=""
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath \
      -ldflags="-s -w -X github.com/strata-dev/strata/internal/cli.version=${VERSION} -X github.com/strata-dev/strata/internal/cli.commit=${COMMIT}" \
      -o /out/strata ./cmd/strata

# distroless/static: CA certificates (for pulling images to analyze), tzdata
# and a nonroot user, nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=""
ARG COMMIT=""
LABEL org.opencontainers.image.title="strata" \
      org.opencontainers.image.description="Lint Dockerfiles and analyze container images layer by layer" \
      org.opencontainers.image.url="https://github.com/strata-dev/strata" \
      org.opencontainers.image.source="https://github.com/strata-dev/strata" \
      org.opencontainers.image.documentation="https://github.com/strata-dev/strata/blob/main/docs/installation.md" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}"
COPY --from=build /out/strata /usr/local/bin/strata
# A command-line tool, not a service: there is no health to check.
HEALTHCHECK NONE
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/strata"]
CMD ["lint", "."]
