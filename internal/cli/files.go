package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"leoc/internal/files"
	"leoc/internal/store"
)

// filesPurge is "leoc files purge".
func filesPurge(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	dry := fs.Bool("dry-run", false, "list what would be removed, remove nothing")
	return func(ctx context.Context, env Env, _ []string) error {
		cfg, err := loadConfig(env)
		if err != nil {
			return err
		}
		storage, err := files.OpenStorage(cfg)
		if err != nil {
			return err
		}
		return withStore(ctx, env, func(st *store.Store) error {
			return purgeFiles(ctx, st, storage, *dry, env.Stdout)
		})
	}
}

// purgeFiles deletes the stored objects of files whose record was removed
// and marks their rows purged (audited). The object goes first: if marking
// the row then fails, running the purge again finishes the job, because
// deleting a missing object is not an error.
func purgeFiles(ctx context.Context, st *store.Store, storage files.Storage, dry bool, out io.Writer) error {
	orphans, err := st.OrphanAttachments(ctx)
	if err != nil {
		return err
	}
	if len(orphans) == 0 {
		fmt.Fprintln(out, "no files of removed records: nothing to purge")
		return nil
	}
	var size int64
	for _, a := range orphans {
		line := fmt.Sprintf("file %d of %s #%d: %s (%s, %d bytes, uploaded by %s)", a.ID, a.Register, a.RecordID, a.Name, a.ContentType, a.Size, a.CreatedBy)
		if dry {
			fmt.Fprintln(out, "would remove "+line)
			continue
		}
		if err := storage.Delete(ctx, a.StorageKey); err != nil {
			return fmt.Errorf("purge %s: %w", line, err)
		}
		if err := st.MarkAttachmentPurged(ctx, cliActor, a); err != nil {
			return fmt.Errorf("purge %s: %w", line, err)
		}
		fmt.Fprintln(out, "removed "+line)
		size += a.Size
	}
	if dry {
		fmt.Fprintf(out, "%d files would be removed (dry run)\n", len(orphans))
	} else {
		fmt.Fprintf(out, "removed %d files, %d bytes\n", len(orphans), size)
	}
	return nil
}
