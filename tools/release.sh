#!/usr/bin/env bash
# Build a release snapshot locally, publishing nothing: static binaries for
# Linux, macOS and Windows (amd64, arm64), man pages and completions, .deb
# and .rpm packages for Linux, and checksums.txt, under dist/.
#
#   tools/release.sh                 # version from git describe
#   VERSION=1.2.0 tools/release.sh   # a release's version
#
# The builds are reproducible: CGO_ENABLED=0, -trimpath, no build ID, the
# version, commit and date stamped with -X from the commit itself (its
# commit time, not the clock), archives and packages dated with it too.
# Two runs on the same commit with the same Go give identical checksums.
set -euo pipefail
cd "$(dirname "$0")/.."

NFPM=${NFPM:-github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2}
DIST=${DIST:-dist}
COMMIT=$(git rev-parse HEAD)
DATE=$(git log -1 --format=%cI HEAD)
EPOCH=$(git log -1 --format=%ct HEAD)
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null | sed 's/^v//')}
if ! [[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  VERSION=0.0.0~git$(date -u -d "@$EPOCH" +%Y%m%d).${COMMIT:0:12} # no release tag: a snapshot
fi
if [ -n "$(git status --porcelain)" ]; then
  echo "release.sh: the working tree has uncommitted changes; the build would not match its commit" >&2
  exit 1
fi

rm -rf "$DIST"
mkdir -p "$DIST/man" "$DIST/completions"
ldflags="-s -w -buildid= -X main.buildVersion=$VERSION -X main.buildCommit=$COMMIT -X main.buildDate=$DATE"
for target in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64; do
  os=${target%/*} arch=${target#*/}
  exe=genid-migrate
  [ "$os" = windows ] && exe=genid-migrate.exe
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -buildvcs=false -ldflags "$ldflags" \
    -o "$DIST/${os}_$arch/$exe" ./cmd/genid-migrate
done

host="$DIST/$(go env GOHOSTOS)_$(go env GOHOSTARCH)/genid-migrate"
"$host" generate --man "$DIST/man"
gzip -n -9 "$DIST"/man/*.1
"$host" generate --completion bash "$DIST/completions/genid-migrate.bash"
"$host" generate --completion zsh "$DIST/completions/_genid-migrate"
"$host" generate --completion fish "$DIST/completions/genid-migrate.fish"
find "$DIST/man" "$DIST/completions" -exec touch -d "@$EPOCH" {} +

# Archives: fixed order, owner and time.
tarball() { # DIR NAME
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" -C "$DIST" \
    -cf - "$1" man completions | gzip -n -9 >"$DIST/$2"
}
for d in "$DIST"/*_*/; do
  d=$(basename "$d")
  tarball "$d" "genid-migrate_${VERSION}_$d.tar.gz"
done

for arch in amd64 arm64; do
  # nfpm expands variables in a few fields only: fill them all in here.
  sed -e "s|\${ARCH}|$arch|g" -e "s|\${VERSION}|$VERSION|g" -e "s|\${DIST}|$DIST|g" \
    packaging/nfpm.yaml >"$DIST/nfpm-$arch.yaml"
  for fmt in deb rpm; do
    SOURCE_DATE_EPOCH=$EPOCH go run "$NFPM" package --config "$DIST/nfpm-$arch.yaml" --packager "$fmt" --target "$DIST/"
  done
done

(cd "$DIST" && sha256sum -- *.tar.gz *.deb *.rpm >checksums.txt)
cat "$DIST/checksums.txt"
