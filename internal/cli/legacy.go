package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"golang.org/x/term"

	"leoc/internal/files"
	"leoc/internal/i18n"
	"leoc/internal/legacy"
	"leoc/internal/store"
)

// importLegacy is "leoc import-legacy --from OLD.db [--uploads DIR]
// [--dry-run]": the records of an old Flask LEOC moved into this database
// in one transaction, with a report (docs/migrate-from-flask.md).
func importLegacy(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	from := fs.String("from", "", "the old Flask LEOC SQLite database (read only)")
	uploads := fs.String("uploads", "", "the old uploads folder, to copy handover photos and documents")
	dry := fs.Bool("dry-run", false, "print the report of what would be imported, write nothing")
	lang := fs.String("lang", "en", "language of the report: en or ne")
	return func(ctx context.Context, env Env, _ []string) error {
		if *from == "" {
			return &usageError{msg: "import-legacy needs --from OLD.db"}
		}
		if !i18n.Supported(*lang) {
			return &usageError{msg: "--lang must be en or ne"}
		}
		cat, err := i18n.Load()
		if err != nil {
			return err
		}
		cfg, err := loadConfig(env)
		if err != nil {
			return err
		}
		return withStore(ctx, env, func(st *store.Store) error {
			cal, err := st.Calendar(ctx)
			if err != nil {
				return err
			}
			storage, err := files.OpenStorage(cfg)
			if err != nil {
				return err
			}
			opts := legacy.Options{From: *from, Uploads: *uploads, DryRun: *dry, Progress: env.Stderr, Terminal: isTerminal(env.Stderr),
				Files:  storage,
				Limits: files.Limits{Photo: int64(cfg.MaxPhotoMB) << 20, Document: int64(cfg.MaxDocumentMB) << 20}}
			rep, err := legacy.Import(ctx, st, cal, opts)
			if errors.Is(err, legacy.ErrNotLegacy) {
				return fmt.Errorf("%w\nnothing was imported", err)
			}
			if err != nil {
				return fmt.Errorf("%w\nnothing was imported (the import is all or nothing)", describe(err))
			}
			return rep.Print(env.Stdout, cat, *lang)
		})
	}
}

func isTerminal(w any) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}
