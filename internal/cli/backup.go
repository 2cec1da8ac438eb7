package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"leoc/internal/backup"
	"leoc/internal/config"
	"leoc/internal/files"
	"leoc/internal/store"
)

// fileStorage is where the configured instance keeps its uploads (the
// upload directory, or the S3 bucket of LEOC_STORAGE_URL); backup and
// restore read and write them only through it.
func fileStorage(cfg *config.Config) (files.Storage, error) { return files.OpenStorage(cfg) }

// openForBackup opens an existing LEOC database without migrating or
// sealing anything: a backup only reads.
func openForBackup(ctx context.Context, cfg *config.Config) (*store.Store, int, error) {
	where := databaseDescription(cfg)
	if cfg.Driver() == "sqlite" {
		if _, err := os.Stat(cfg.SQLitePath()); err != nil {
			return nil, 0, fmt.Errorf("no LEOC database at %s.\n%s", where, wrongPlaceHint)
		}
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, store.SQLiteSynchronous(cfg.SQLiteSynchronous))
	if err != nil {
		return nil, 0, fmt.Errorf("open the database at %s: %w", where, err)
	}
	v, err := st.AppliedVersion(ctx)
	if err == nil && v == 0 {
		err = fmt.Errorf("the database at %s is not a LEOC database yet (its schema is not migrated).\n%s", where, wrongPlaceHint)
	}
	if err != nil {
		st.Close()
		return nil, 0, err
	}
	return st, v, nil
}

// backupCreate is "leoc backup --to FILE": a consistent online backup of
// the running instance.
func backupCreate(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	to := fs.String("to", "", "the archive to write (.tar.gz); must not exist")
	return func(ctx context.Context, env Env, _ []string) error {
		if *to == "" {
			return &usageError{msg: "backup: --to FILE is required"}
		}
		cfg, err := loadConfig(env)
		if err != nil {
			return err
		}
		m, err := writeBackup(ctx, cfg, *to)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "backup written to %s: %s database at schema version %d, %d files, %d entries with SHA-256 in its manifest\n",
			*to, m.Database, m.SchemaVersion, m.Files(), len(m.Entries))
		return nil
	}
}

func writeBackup(ctx context.Context, cfg *config.Config, dest string) (*backup.Manifest, error) {
	st, version, err := openForBackup(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	w, err := backup.Create(dest, backup.Manifest{CreatedAt: time.Now().UTC(), LEOCVersion: Version, Database: string(st.Dialect()), SchemaVersion: version})
	if err != nil {
		return nil, err
	}
	defer w.Abort()
	tmp, err := os.MkdirTemp(filepath.Dir(dest), ".leoc-backup-*")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "snapshot")
	var keys []string
	// The database first, then the files its snapshot names (see package
	// backup for why that order is consistent).
	if st.Dialect() == store.SQLite {
		if err := st.SnapshotSQLite(ctx, snap); err != nil {
			return nil, err
		}
		// The keys come from the snapshot itself, not the live database.
		if keys, err = snapshotKeys(ctx, snap); err != nil {
			return nil, err
		}
		err = w.AddFile(backup.SQLiteName, snap)
	} else {
		if err := backup.DumpPostgres(ctx, cfg.DatabaseURL, snap); err != nil {
			return nil, err
		}
		// Listed after the dump: a superset of the files its rows name.
		if keys, err = st.StoredFileKeys(ctx); err != nil {
			return nil, err
		}
		err = w.AddFile(backup.PostgresName, snap)
	}
	if err != nil {
		return nil, err
	}
	storage, err := fileStorage(cfg)
	if err != nil {
		return nil, err
	}
	if err := w.AddStored(ctx, storage, keys); err != nil {
		return nil, err
	}
	return w.Close()
}

func snapshotKeys(ctx context.Context, path string) ([]string, error) {
	snap, err := store.Open(ctx, "sqlite://"+path)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	return snap.StoredFileKeys(ctx)
}

// backupVerify is "leoc backup verify FILE": every checksum, and SQLite's
// integrity check of the database snapshot.
func backupVerify(ctx context.Context, env Env, args []string) error {
	file := args[0]
	tmp, err := os.MkdirTemp("", "leoc-verify-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db := filepath.Join(tmp, "leoc.db")
	m, err := backup.Extract(file, func(name string, _ int64, r io.Reader) error {
		if name != backup.SQLiteName {
			return nil
		}
		return writeFile(db, r)
	})
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	check := "checksums"
	if m.Database == string(store.SQLite) {
		if err := store.CheckSQLiteFile(ctx, db); err != nil {
			return &exitError{code: 1, msg: file + ": " + err.Error()}
		}
		check = "checksums and SQLite integrity check"
	}
	fmt.Fprintf(env.Stdout, "%s: OK (%s) — %s database at schema version %d, %d files, made %s by leoc %s\n",
		file, check, m.Database, m.SchemaVersion, m.Files(), m.CreatedAt.Format(time.RFC3339), m.LEOCVersion)
	return nil
}

// restoreCommand is "leoc restore --from FILE [--force]": into an empty
// data directory or database only, unless forced. Stop LEOC first.
func restoreCommand(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	from := fs.String("from", "", "the backup archive to restore")
	force := fs.Bool("force", false, "restore over an existing database (SQLite: the old file is kept as leoc.db.pre-restore-TIME)")
	return func(ctx context.Context, env Env, _ []string) error {
		if *from == "" {
			return &usageError{msg: "restore: --from FILE is required"}
		}
		cfg, err := loadConfig(env)
		if err != nil {
			return err
		}
		return restore(ctx, cfg, *from, *force, env.Stdout)
	}
}

func restore(ctx context.Context, cfg *config.Config, from string, force bool, out io.Writer) error {
	m, err := backup.Verify(from)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	if m.Database != cfg.Driver() {
		return &exitError{code: 1, msg: fmt.Sprintf("restore: %s holds a %s database but LEOC is configured for %s (%s)", from, m.Database, cfg.Driver(), databaseDescription(cfg))}
	}
	if ms, err := store.Migrations(store.Dialect(m.Database)); err != nil {
		return err
	} else if m.SchemaVersion > len(ms) {
		return &exitError{code: 1, msg: fmt.Sprintf("restore: the backup's schema is at version %d but this leoc knows only up to %d; restore with a newer leoc", m.SchemaVersion, len(ms))}
	}
	what, err := existingData(ctx, cfg)
	if err != nil {
		return err
	}
	if what != "" && !force {
		return &exitError{code: 1, msg: fmt.Sprintf("restore: %s already holds data (%s); restore into an empty data directory or database, or add --force to replace it (stop LEOC first)", databaseDescription(cfg), what)}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(cfg.DataDir, ".restore-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "snapshot")
	storage, err := fileStorage(cfg)
	if err != nil {
		return err
	}
	n := 0
	if _, err := backup.Extract(from, func(name string, _ int64, r io.Reader) error {
		if key := backup.StorageKey(name); key != "" {
			n++
			_, err := storage.Put(ctx, key, r)
			return err
		}
		return writeFile(snap, r) // the one database entry
	}); err != nil {
		return err
	}
	if m.Database == string(store.SQLite) {
		err = installSQLite(cfg.SQLitePath(), snap)
	} else {
		url := cfg.DatabaseURL
		if cfg.MigrateDatabaseURL != "" {
			url = cfg.MigrateDatabaseURL // the owner role creates the tables
		}
		err = backup.RestorePostgres(ctx, url, snap)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "restored %s (%s database at schema version %d, made %s) and %d files into %s; start LEOC (it migrates to this version's schema)\n",
		from, m.Database, m.SchemaVersion, m.CreatedAt.Format(time.RFC3339), n, databaseDescription(cfg))
	return nil
}

// existingData says what a restore would overwrite, "" when nothing.
func existingData(ctx context.Context, cfg *config.Config) (string, error) {
	if cfg.Driver() == "sqlite" {
		if fi, err := os.Stat(cfg.SQLitePath()); err == nil && fi.Size() > 0 {
			return "the database file " + cfg.SQLitePath() + " exists", nil
		}
	} else {
		st, err := store.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return "", err
		}
		v, err := st.AppliedVersion(ctx)
		st.Close()
		if err != nil {
			return "", err
		}
		if v > 0 {
			return fmt.Sprintf("a LEOC schema at version %d", v), nil
		}
	}
	found := ""
	err := filepath.WalkDir(cfg.UploadDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return filepath.SkipAll
			}
			return err
		}
		if d.Type().IsRegular() {
			found = "uploaded files in " + cfg.UploadDir
			return filepath.SkipAll
		}
		return nil
	})
	return found, err
}

// installSQLite moves the restored snapshot into place; an existing
// database (with its WAL) is renamed aside, never deleted.
func installSQLite(path, snap string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	suffix := ".pre-restore-" + time.Now().UTC().Format("20060102T150405Z")
	for _, ext := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(path+ext, path+suffix+ext); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: keep the old database aside: %w", err)
		}
	}
	if err := os.Rename(snap, path); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	syncDirOf(path)
	return nil
}

// writeFile writes r to a new file at p and syncs it.
func writeFile(p string, r io.Reader) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDirOf(p string) {
	if d, err := os.Open(filepath.Dir(p)); err == nil {
		_ = d.Sync() // best effort
		d.Close()
	}
}
