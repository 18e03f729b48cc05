# contribtrack in a container (deploy/docker-compose.yml builds it):
#   docker build -t contribtrack .
#   docker run --rm contribtrack --help

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/contribtrack ./cmd/contribtrack \
 && mkdir -p /out/data

# Static binary, CA certificates and time zones, no shell; runs as the
# image's non-root user (65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/contribtrack /usr/local/bin/contribtrack
# data_dir in deploy/contribtrack.yaml: owned by the user, so that a new
# volume mounted there is writable.
COPY --from=build --chown=65532:65532 /out/data /var/lib/contribtrack
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/contribtrack"]
CMD ["--help"]
