# ELVcare: one static binary with the PWA embedded, on a small image.
# Build: docker build -t elvcare .   Run: docker run -p 8080:8080 -v elvcare-data:/data elvcare

# 1. The PWA.
FROM node:20-bookworm-slim AS pwa
WORKDIR /src/pwa
COPY pwa/package.json pwa/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY pwa/ ./
RUN npm run build

# 2. The Go binary, static, with the built PWA embedded.
FROM golang:1.26-bookworm AS go
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=pwa /src/pwa/dist ./pwa/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 GOEXPERIMENT=jsonv2 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/elvcare ./cmd/elvcare

# 3. The runtime: CA certificates and time zones (business rules run in
# Asia/Shanghai), a non-root user, /data as a volume.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata curl fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data elvcare \
    && mkdir -p /data && chown elvcare /data
COPY --from=go /out/elvcare /usr/local/bin/elvcare
USER elvcare
ENV ELVCARE_ADDR=0.0.0.0:8080 ELVCARE_DATA=/data TZ=Asia/Shanghai
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["elvcare"]
CMD ["serve"]
