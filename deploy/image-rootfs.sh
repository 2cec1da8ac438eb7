#!/bin/sh
# Assemble the root filesystem of the LEOC container image into a directory:
#   deploy/image-rootfs.sh BINARY DIR
# BINARY must be a static leoc (CGO_ENABLED=0). The Dockerfile's last stage is
# exactly this tree (FROM scratch + COPY), so the test that starts leoc from
# DIR as the non-root user (internal/deploytest) tests what the image runs.
# Run by `make image-rootfs` and inside the Dockerfile's build stage.
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 BINARY DIR" >&2
  exit 2
fi
bin=$1
root=$2
# The non-root user the image runs as; the Dockerfile's USER says the same.
uid=10001
gid=10001

mkdir -p "$root/usr/local/bin" "$root/etc/ssl/certs" "$root/usr/share" "$root/data" "$root/tmp"
cp "$bin" "$root/usr/local/bin/leoc"
chmod 0755 "$root/usr/local/bin/leoc"
# CA certificates: PostgreSQL over TLS, S3 object storage over HTTPS.
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
# Time-zone data (Asia/Kathmandu for the logs of an operator who sets TZ).
cp -R /usr/share/zoneinfo "$root/usr/share/zoneinfo"
cat > "$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
leoc:x:$uid:$gid:LEOC:/data:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<GROUP
root:x:0:
nogroup:x:65534:
leoc:x:$gid:
GROUP
# /tmp takes large uploads while they are checked (multipart spill files).
chmod 1777 "$root/tmp"
chmod 0750 "$root/data"
# The data volume belongs to the user; only root can give it away.
if [ "$(id -u)" = 0 ]; then
  chown "$uid:$gid" "$root/data"
fi
