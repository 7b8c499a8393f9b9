#!/bin/sh
# Nightly backup (deploy/systemd/terpadu-backup.service): write the archive, check it against its
# manifest, copy it off-site (encrypted), and delete local archives older than TERPADU_BACKUP_KEEP_DAYS.
# Runs as the terpadu user with /etc/terpadu/terpadu.env loaded. Exits non-zero on any failure, so
# `systemctl status terpadu-backup` and the journal show a failed night.
set -eu
APP_DIR=${TERPADU_APP_DIR:-/srv/terpadu}
DIR=${TERPADU_BACKUP_DIR:-/var/backups/terpadu}
KEEP_DAYS=${TERPADU_BACKUP_KEEP_DAYS:-14}
TERPADU="$APP_DIR/.venv/bin/terpadu"

umask 077
mkdir -p "$DIR"
ARCHIVE="$DIR/terpadu-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
"$TERPADU" backup --output "$ARCHIVE"
"$TERPADU" restore --check "$ARCHIVE"

if [ -n "${TERPADU_BACKUP_OFFSITE:-}" ]; then
  COPY="$ARCHIVE"
  if [ -n "${TERPADU_BACKUP_AGE_RECIPIENT:-}" ]; then
    COPY="$ARCHIVE.age"
    age --encrypt --recipient "$TERPADU_BACKUP_AGE_RECIPIENT" --output "$COPY" "$ARCHIVE"
  elif [ -n "${TERPADU_BACKUP_GPG_RECIPIENT:-}" ]; then
    COPY="$ARCHIVE.gpg"
    gpg --batch --yes --trust-model always --encrypt --recipient "$TERPADU_BACKUP_GPG_RECIPIENT" \
      --output "$COPY" "$ARCHIVE"
  fi
  rsync --archive --partial "$COPY" "$TERPADU_BACKUP_OFFSITE"
  [ "$COPY" = "$ARCHIVE" ] || rm -f "$COPY"
fi

find "$DIR" -maxdepth 1 -name 'terpadu-*.tar.gz' -mtime +"$KEEP_DAYS" -delete
echo "backup done: $ARCHIVE"
