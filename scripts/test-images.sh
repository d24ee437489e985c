#!/usr/bin/env bash
# Builds the offline test image gantry-test/busybox:1 when it is absent: a root filesystem with
# a static busybox and links for all its applets, imported with `docker import` (no registry,
# no Dockerfile, no network). Idempotent and quiet when the image is there.
set -euo pipefail

IMAGE=${GANTRY_TEST_IMAGE:-gantry-test/busybox:1}

say() { printf 'gantry-setup: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  exit 0
fi

busybox=""
for b in /bin/busybox /usr/bin/busybox; do
  [[ -x $b ]] || continue
  # A dynamically linked busybox would not run in an empty root filesystem.
  if ! command -v ldd >/dev/null 2>&1 || ! ldd "$b" >/dev/null 2>&1; then
    busybox=$b
    break
  fi
done
[[ -n $busybox ]] || fail "no static busybox on this host: install it (Debian/Ubuntu: 'apt-get install busybox-static'), then run scripts/setup.sh again"

root=$(mktemp -d "${TMPDIR:-/tmp}/gantry-rootfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,home,tmp,var/www,var/tmp,proc,sys,dev}
chmod 1777 "$root/tmp" "$root/var/tmp"
chmod 700 "$root/root"
cp "$busybox" "$root/bin/busybox"
chmod 755 "$root/bin/busybox"

# Every applet as a link in /bin (sh, true, sleep, wget, httpd, nc, ...).
count=0
while IFS= read -r applet; do
  [[ -z $applet || $applet == busybox || $applet == */* ]] && continue
  ln -sf busybox "$root/bin/$applet"
  count=$((count + 1))
done < <("$busybox" --list)
for a in sh true sleep wget httpd; do
  [[ -e $root/bin/$a ]] || fail "$busybox has no '$a' applet"
done

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
EOF
# The engine bind-mounts /etc/hosts, /etc/hostname and /etc/resolv.conf; these only make name
# lookups use them in the expected order.
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
printf '<html><body>gantry test image</body></html>\n' >"$root/var/www/index.html"

tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . \
  | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'WORKDIR /' \
    -c 'CMD ["sh"]' \
    -m 'gantry offline test image (busybox)' \
    - "$IMAGE" >/dev/null

say "built test image $IMAGE (busybox, $count applets)"
