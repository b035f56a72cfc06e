# Build the single binary, then run it on a slim image.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY templates templates
COPY static static
COPY boards boards
RUN cargo build --release --locked --features cluster

FROM debian:bookworm-slim
RUN useradd --system --home /app buzzboard && mkdir -p /app/data && chown buzzboard /app/data
WORKDIR /app
COPY --from=build /src/target/release/buzzboard /usr/local/bin/buzzboard
COPY boards boards
USER buzzboard
ENV PORT=3000 BUZZBOARD_DATA_DIR=/app/data
EXPOSE 3000
VOLUME ["/app/data"]
CMD ["buzzboard"]
